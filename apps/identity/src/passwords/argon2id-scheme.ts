import { Algorithm, hash, parseOptions, verify, Version } from '@node-rs/argon2';

// `Algorithm` and `Version` are `const enum`s in the typings but empty objects at runtime, and
// swc (build and Jest) does not inline them, so `Algorithm.Argon2id` would be undefined.
const ARGON2ID: Algorithm = 2;
const VERSION_0X13: Version = 1;

/** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 passes, 1 lane. */
export const ARGON2ID_PARAMS = {
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

/** Minimum salt length, in bytes, for a stored hash to count as current. */
const MIN_SALT_BYTES = 16;

/** Any argon2 PHC string (`$argon2id$`, and legacy `$argon2i$` / `$argon2d$`). */
export function isArgon2(stored: string): boolean {
  return /^\$argon2(id|i|d)\$/.test(stored);
}

/** Hashes an already normalised password; returns `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
export function argon2idHash(normalized: string): Promise<string> {
  return hash(normalized, { ...ARGON2ID_PARAMS, algorithm: ARGON2ID, version: VERSION_0X13 });
}

/** Compares in constant time inside the library; never throws. */
export async function argon2Verify(normalized: string, stored: string): Promise<boolean> {
  try {
    return await verify(stored, normalized);
  } catch {
    return false;
  }
}

/** True unless the hash is argon2id v1.3 with exactly today's parameters. */
export function argon2NeedsRehash(stored: string): boolean {
  try {
    const o = parseOptions(stored);
    return (
      o.algorithm !== ARGON2ID ||
      o.version !== VERSION_0X13 ||
      o.memoryCost !== ARGON2ID_PARAMS.memoryCost ||
      o.timeCost !== ARGON2ID_PARAMS.timeCost ||
      o.parallelism !== ARGON2ID_PARAMS.parallelism ||
      o.outputLen !== ARGON2ID_PARAMS.outputLen ||
      o.saltLen < MIN_SALT_BYTES
    );
  } catch {
    return true;
  }
}
