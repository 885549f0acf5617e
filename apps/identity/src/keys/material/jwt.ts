import { JwtService } from '@nestjs/jwt';
import { SignJWT, type JWTPayload } from 'jose';
import { assertKeyFitsAlg } from './jwk';
import { assertExpectations, checkClaims, type JwtClaims } from './jwt-claims';
import { InvalidTokenError } from './jwt-errors';
import { readHeader } from './jwt-header';
import {
  verifyWithJose,
  verifyWithJsonwebtoken,
  type VerifyExpectations,
  type VerifyKey,
} from './jwt-verifiers';
import { KeyMaterialError, type LoadedKey } from './types';

export { InvalidTokenError };
export type { JwtClaims, VerifyExpectations, VerifyKey };

const jwtService = new JwtService();

/**
 * Signs `payload` as a compact JWS with header `{alg, kid, typ}` from `key`. The payload is
 * signed as given: no `iat`, `exp` or other claim is added or changed. RS256/ES256 go through
 * @nestjs/jwt (jsonwebtoken) and EdDSA through jose, always with the parsed KeyObject.
 * Throws a `TypeError` if the payload is not a plain object, `typ` is empty, or `iat` is present
 * but not a positive number; rethrows the library's error if the key does not fit the alg.
 */
export async function signJwt(
  payload: Record<string, unknown>,
  key: LoadedKey,
  typ: string,
): Promise<string> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new TypeError('JWT payload must be a plain object');
  }
  if (typeof typ !== 'string' || typ === '') throw new TypeError('JWT typ must be set');
  const { iat } = payload;
  if (iat !== undefined && !(typeof iat === 'number' && iat > 0)) {
    // jsonwebtoken would silently replace a falsy iat with the current time.
    throw new TypeError('JWT iat must be a positive number when present');
  }
  if (key.alg === 'EdDSA') {
    return new SignJWT(payload as JWTPayload)
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ })
      .sign(key.privateKey);
  }
  return jwtService.sign(payload, {
    privateKey: key.privateKey,
    algorithm: key.alg,
    keyid: key.kid,
    header: { alg: key.alg, kid: key.kid, typ },
    // jsonwebtoken adds iat when absent, and deletes it when noTimestamp is set.
    noTimestamp: iat === undefined,
  });
}

/**
 * Verifies a compact JWS access token and returns its claims. The header is decoded and checked
 * here first (see `readHeader`): only then is `resolveKey(kid)` asked, and the header `alg` must
 * equal that key's alg exactly, so `none`, HS256-with-the-public-key and alg swaps all fail.
 * Then jsonwebtoken (RS256, ES256) or jose (EdDSA) checks the signature and times, and the
 * claims are checked (see `checkClaims`).
 * Throws an {@link InvalidTokenError} for every fault of the token, a `TypeError` for unusable
 * `expect`, and a `KeyMaterialError` if the resolved key does not fit its own alg; an error
 * thrown by `resolveKey` propagates unchanged.
 */
export async function verifyJwt(
  token: string,
  resolveKey: (kid: string) => VerifyKey | undefined,
  expect: VerifyExpectations,
): Promise<JwtClaims> {
  assertExpectations(expect);
  if (typeof expect.typ !== 'string' || expect.typ === '') {
    throw new TypeError('expected typ must be a non-empty string');
  }
  if (expect.nowSeconds !== undefined && !Number.isFinite(expect.nowSeconds)) {
    throw new TypeError('nowSeconds must be a finite number');
  }
  const now = expect.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = readHeader(token, expect.typ);
  const key = resolveKey(header.kid);
  if (!key) throw new InvalidTokenError('unknown kid');
  if (header.alg !== key.alg) throw new InvalidTokenError('alg does not match key');
  if (key.publicKey.type !== 'public') throw new KeyMaterialError('verify key is not public');
  assertKeyFitsAlg(key.publicKey, key.alg);
  const payload =
    key.alg === 'EdDSA'
      ? await verifyWithJose(token, key.publicKey, expect, now)
      : verifyWithJsonwebtoken(token, key, expect, now);
  return checkClaims(payload, expect, now);
}
