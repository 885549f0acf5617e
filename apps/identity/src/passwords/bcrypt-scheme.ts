import { createHmac } from 'node:crypto';
import * as bcrypt from 'bcrypt';

/** Prefix of Tessera's own bcrypt hashes: `$bcrypt-sha256$` + a standard `$2b$` hash. */
export const BCRYPT_SHA256_PREFIX = '$bcrypt-sha256$';

/**
 * HMAC key of the pre-hash. It is not a secret: it separates this use of SHA-256 from any other
 * (domain separation) and versions the scheme. Changing it invalidates every stored hash.
 */
export const BCRYPT_PREHASH_KEY = 'tessera/bcrypt-prehash/v1';

/** A standard modular-crypt bcrypt hash: version, two-digit cost, 22-char salt + 31-char hash. */
const BCRYPT_HASH = /^\$(2[aby])\$(\d{2})\$[./A-Za-z0-9]{53}$/;

export interface ParsedBcrypt {
  /** The `$2x$...` part handed to the bcrypt library. */
  hash: string;
  /** True for `$bcrypt-sha256$` hashes made by Tessera; false for plain imported ones. */
  prehashed: boolean;
  version: '2a' | '2b' | '2y';
  cost: number;
}

/** Recognises `$bcrypt-sha256$$2b$...` and plain `$2a$`/`$2b$`/`$2y$`; anything else is null. */
export function parseBcrypt(stored: string): ParsedBcrypt | null {
  const prehashed = stored.startsWith(BCRYPT_SHA256_PREFIX);
  const hash = prehashed ? stored.slice(BCRYPT_SHA256_PREFIX.length) : stored;
  const match = BCRYPT_HASH.exec(hash);
  if (!match) return null;
  return {
    hash,
    prehashed,
    version: match[1] as ParsedBcrypt['version'],
    cost: Number(match[2]),
  };
}

/**
 * bcrypt silently ignores everything after 72 bytes, so the whole password is first condensed
 * into 44 base64 characters (base64 also keeps NUL bytes, where bcrypt would stop, out of it).
 */
function prehash(normalized: string): string {
  return createHmac('sha256', BCRYPT_PREHASH_KEY).update(normalized, 'utf8').digest('base64');
}

/** Hashes an already normalised password; the async API runs on the libuv threadpool. */
export async function bcryptHash(normalized: string, cost: number): Promise<string> {
  return BCRYPT_SHA256_PREFIX + (await bcrypt.hash(prehash(normalized), cost));
}

/** Compares in constant time inside the library; never throws. */
export async function bcryptVerify(normalized: string, parsed: ParsedBcrypt): Promise<boolean> {
  const input = parsed.prehashed ? prehash(normalized) : normalized;
  // `$2y$` (PHP) is the same algorithm as `$2b$`, but the library only accepts `$2a$`/`$2b$`.
  const hash = parsed.version === '2y' ? `$2b$${parsed.hash.slice(4)}` : parsed.hash;
  try {
    return await bcrypt.compare(input, hash);
  } catch {
    return false;
  }
}
