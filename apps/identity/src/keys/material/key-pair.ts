import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import { assertKeyFitsAlg, assertKid, assertSigningAlg, toPublicJwk } from './jwk';
import {
  KeyMaterialError,
  type GeneratedKey,
  type LoadedKey,
  type LoadedPublicKey,
  type SigningAlg,
  type StoredSigningKey,
} from './types';

const generate = promisify(generateKeyPair);
const PROBE = Buffer.from('tessera key pair probe', 'utf8');

async function generatePair(
  alg: SigningAlg,
): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  switch (alg) {
    case 'RS256':
      return generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    case 'ES256':
      return generate('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generate('ed25519');
  }
}

/**
 * Generates a fresh signing key pair with node:crypto: RSA 2048 for RS256, P-256 for ES256,
 * Ed25519 for EdDSA. `kid` is the RFC 7638 SHA-256 JWK thumbprint (base64url) of the public key,
 * so the same key always gets the same kid. Throws a {@link KeyMaterialError} for another alg.
 */
export async function generateSigningKey(alg: SigningAlg): Promise<GeneratedKey> {
  assertSigningAlg(alg);
  const { publicKey, privateKey } = await generatePair(alg);
  const exported = publicKey.export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint(exported, 'sha256');
  return {
    kid,
    alg,
    publicJwk: toPublicJwk(exported, alg, kid),
    privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

/**
 * Parses a stored key pair into KeyObjects, once. Throws a {@link KeyMaterialError} if the alg
 * is unknown, the kid is malformed, the JWK is malformed or has private members, either half
 * does not fit the alg, or the private half does not sign what the public half verifies.
 * The RFC 7638 thumbprint is not recomputed here (jose computes it asynchronously).
 */
export function loadSigningKey(stored: StoredSigningKey): LoadedKey {
  const { kid, alg, publicJwk, publicKey } = parsePublicKey(
    stored.publicJwk,
    stored.alg,
    stored.kid,
  );
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: stored.privateKeyPkcs8, format: 'der', type: 'pkcs8' });
  } catch {
    throw new KeyMaterialError('private key is not PKCS#8 DER');
  }
  assertKeyFitsAlg(privateKey, alg);
  if (!halvesMatch(alg, privateKey, publicKey)) {
    throw new KeyMaterialError('private key does not match the public JWK');
  }
  return Object.freeze({ kid, alg, publicJwk, privateKey, publicKey });
}

/**
 * Parses a public JWK kept only for verification. The JWK must carry its `kid` and an `alg`
 * from {@link SigningAlg}. Throws a {@link KeyMaterialError} if either is missing or malformed,
 * the JWK has private members or the wrong shape, or the key does not fit the alg.
 */
export function loadPublicKey(publicJwk: Readonly<Record<string, unknown>>): LoadedPublicKey {
  return parsePublicKey(publicJwk, publicJwk.alg, publicJwk.kid);
}

function parsePublicKey(
  source: Readonly<Record<string, unknown>>,
  alg: unknown,
  kid: unknown,
): LoadedPublicKey {
  assertSigningAlg(alg);
  assertKid(kid);
  const publicJwk = toPublicJwk(source, alg, kid);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: { ...publicJwk }, format: 'jwk' });
  } catch {
    throw new KeyMaterialError('public JWK cannot be parsed');
  }
  assertKeyFitsAlg(publicKey, alg);
  return Object.freeze({ kid, alg, publicJwk, publicKey });
}

/** Signs a fixed message with the private key and verifies it with the public one. */
function halvesMatch(alg: SigningAlg, privateKey: KeyObject, publicKey: KeyObject): boolean {
  const digest = alg === 'EdDSA' ? null : 'sha256';
  try {
    return verify(digest, PROBE, publicKey, sign(digest, PROBE, privateKey));
  } catch {
    return false;
  }
}
