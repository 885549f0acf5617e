import type { KeyObject } from 'node:crypto';
import {
  KeyMaterialError,
  KID_PATTERN,
  SIGNING_ALGS,
  type PublicJwk,
  type SigningAlg,
} from './types';

/** JWK members that only a private key has (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

type KeyShape = { kty: PublicJwk['kty']; crv?: string; members: readonly (keyof PublicJwk)[] };

const SHAPES: Record<SigningAlg, KeyShape> = {
  RS256: { kty: 'RSA', members: ['n', 'e'] },
  ES256: { kty: 'EC', crv: 'P-256', members: ['crv', 'x', 'y'] },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', members: ['crv', 'x'] },
};

/** Throws a {@link KeyMaterialError} unless `alg` is one of {@link SIGNING_ALGS}. */
export function assertSigningAlg(alg: unknown): asserts alg is SigningAlg {
  if (typeof alg !== 'string' || !(SIGNING_ALGS as readonly string[]).includes(alg)) {
    throw new KeyMaterialError('unsupported signing alg');
  }
}

/** Throws a {@link KeyMaterialError} unless `kid` matches {@link KID_PATTERN}. */
export function assertKid(kid: unknown): asserts kid is string {
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw new KeyMaterialError('kid is not a short base64url string');
  }
}

/**
 * Throws a {@link KeyMaterialError} unless `key` is the right kind for `alg`: RSA of at least
 * 2048 bits for RS256, P-256 for ES256, Ed25519 for EdDSA. Works for public and private keys.
 */
export function assertKeyFitsAlg(key: KeyObject, alg: SigningAlg): void {
  const details = key.asymmetricKeyDetails ?? {};
  const fits =
    alg === 'RS256'
      ? key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048
      : alg === 'ES256'
        ? key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1'
        : key.asymmetricKeyType === 'ed25519';
  if (!fits) throw new KeyMaterialError(`key type does not fit ${alg}`);
}

/** Throws a {@link KeyMaterialError} if `jwk` carries any private member. */
export function assertNoPrivateMembers(jwk: Readonly<Record<string, unknown>>): void {
  if (PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(jwk, member))) {
    throw new KeyMaterialError('public JWK carries private key members');
  }
}

/**
 * Builds the published JWK for `alg` from `source` (any JWK-like object), keeping only the
 * public members of the key type (allow-list) and adding `kid`, `alg` and `use: 'sig'`.
 * Throws a {@link KeyMaterialError} if `source` has private members, the wrong `kty`/`crv`, a
 * missing member, or a `kid`/`alg`/`use` that contradicts the given ones.
 */
export function toPublicJwk(
  source: Readonly<Record<string, unknown>>,
  alg: SigningAlg,
  kid: string,
): PublicJwk {
  assertNoPrivateMembers(source);
  assertKid(kid);
  const shape = SHAPES[alg];
  if (source.kty !== shape.kty || (shape.crv !== undefined && source.crv !== shape.crv)) {
    throw new KeyMaterialError(`public JWK does not fit ${alg}`);
  }
  if (
    (source.kid !== undefined && source.kid !== kid) ||
    (source.alg !== undefined && source.alg !== alg) ||
    (source.use !== undefined && source.use !== 'sig')
  ) {
    throw new KeyMaterialError('public JWK kid, alg or use does not match the key');
  }
  const jwk: PublicJwk = { kty: shape.kty, kid, alg, use: 'sig' };
  for (const member of shape.members) {
    const value = source[member];
    if (typeof value !== 'string' || value === '') {
      throw new KeyMaterialError(`public JWK lacks ${member}`);
    }
    Object.assign(jwk, { [member]: value });
  }
  return Object.freeze(jwk);
}
