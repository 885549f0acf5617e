import type { KeyObject } from 'node:crypto';
import type { SigningAlg } from '../../config/config';

export type { SigningAlg };

/** Every algorithm this service signs with. */
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256', 'EdDSA'];

/** What a `kid` may look like: RFC 7638 thumbprints fit, path or SQL fragments do not. */
export const KID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** A public signing JWK as published in the JWKS: public members only, plus kid, alg, use. */
export type PublicJwk = {
  kty: 'RSA' | 'EC' | 'OKP';
  kid: string;
  alg: SigningAlg;
  use: 'sig';
  /** RSA modulus and exponent. */
  n?: string;
  e?: string;
  /** EC / OKP curve and coordinates. */
  crv?: string;
  x?: string;
  y?: string;
};

/** A freshly generated key pair; seal `privateKeyPkcs8` before storing it. */
export type GeneratedKey = {
  kid: string;
  alg: SigningAlg;
  publicJwk: PublicJwk;
  /** PKCS#8 DER of the private key. */
  privateKeyPkcs8: Buffer;
};

/** A key pair as read back from storage (private part already unsealed). */
export type StoredSigningKey = {
  kid: string;
  alg: SigningAlg;
  /** Validated at load time, so a row's `Record<string, unknown>` is accepted. */
  publicJwk: Readonly<Record<string, unknown>>;
  privateKeyPkcs8: Buffer;
};

/** A public key kept for verification only (retired or not yet active keys). */
export type LoadedPublicKey = {
  kid: string;
  alg: SigningAlg;
  publicJwk: PublicJwk;
  publicKey: KeyObject;
};

/** A checked, ready-to-use signing key pair; KeyObjects are parsed once, here. */
export type LoadedKey = LoadedPublicKey & {
  privateKey: KeyObject;
};

/** Key material is malformed, does not fit its alg, or its halves do not belong together. */
export class KeyMaterialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyMaterialError';
  }
}
