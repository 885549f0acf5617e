import type { KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
// jsonwebtoken is @nestjs/jwt's own dependency. JwtService.verify types `publicKey` as
// string | Buffer only, so verification calls jsonwebtoken directly to pass a KeyObject.
import { JsonWebTokenError, NotBeforeError, TokenExpiredError, verify } from 'jsonwebtoken';
import type { ClaimExpectations } from './jwt-claims';
import { InvalidTokenError } from './jwt-errors';
import type { SigningAlg } from './types';

/** A public key that may verify tokens carrying its kid, and the one alg it verifies. */
export type VerifyKey = { alg: SigningAlg; publicKey: KeyObject };

/** Everything `verifyJwt` checks besides the signature. */
export type VerifyExpectations = ClaimExpectations & {
  /** Expected header `typ`, e.g. `at+jwt` (RFC 9068); case and `application/` do not matter. */
  typ: string;
  /** Current time in seconds since the epoch; defaults to the clock. For tests and replays. */
  nowSeconds?: number;
};

/*
 * Signature and time checks by the libraries, with the KeyObject and the single expected alg.
 * Both throw an InvalidTokenError for any refusal. Call only after the header was checked.
 */

/** RS256 / ES256 through jsonwebtoken's synchronous verify. */
export function verifyWithJsonwebtoken(
  token: string,
  key: VerifyKey,
  expect: VerifyExpectations,
  now: number,
): unknown {
  const [first, ...rest] = Array.isArray(expect.audience) ? expect.audience : [expect.audience];
  try {
    return verify(token, key.publicKey, {
      algorithms: [key.alg as 'RS256' | 'ES256'],
      issuer: expect.issuer,
      audience: [first, ...rest],
      clockTolerance: expect.clockToleranceSeconds,
      clockTimestamp: now,
      maxAge: expect.maxAgeSeconds,
    });
  } catch (error) {
    throw new InvalidTokenError(reasonOf(error));
  }
}

/** EdDSA through jose, which also requires `exp`, `iat` and `sub` and checks `typ`. */
export async function verifyWithJose(
  token: string,
  publicKey: KeyObject,
  expect: VerifyExpectations,
  now: number,
): Promise<unknown> {
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: ['EdDSA'],
      typ: expect.typ,
      issuer: expect.issuer,
      audience: expect.audience,
      clockTolerance: expect.clockToleranceSeconds,
      currentDate: new Date(now * 1000),
      maxTokenAge: expect.maxAgeSeconds,
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    return payload;
  } catch (error) {
    throw new InvalidTokenError(reasonOf(error));
  }
}

const CLAIM_REASONS: Record<string, string> = {
  iss: 'issuer mismatch',
  aud: 'audience mismatch',
  sub: 'sub missing',
  exp: 'exp missing or not a number',
  iat: 'iat missing or not a number',
  nbf: 'nbf not a number',
};

/** A short, stable reason from a library error; library messages hold no token data. */
function reasonOf(error: unknown): string {
  if (error instanceof TokenExpiredError || error instanceof joseErrors.JWTExpired) {
    return 'token expired';
  }
  if (error instanceof NotBeforeError) return 'not yet valid';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const { claim, reason } = error;
    if (claim === 'nbf' && reason === 'check_failed') return 'not yet valid';
    if (claim === 'iat' && reason === 'check_failed') return 'issued in the future';
    return CLAIM_REASONS[claim] ?? 'claims refused';
  }
  if (error instanceof JsonWebTokenError) {
    const { message } = error;
    if (message === 'invalid signature') return 'bad signature';
    if (message.startsWith('jwt audience invalid')) return CLAIM_REASONS.aud;
    if (message.startsWith('jwt issuer invalid')) return CLAIM_REASONS.iss;
    return `verifier refused: ${message}`.slice(0, 100);
  }
  if (error instanceof joseErrors.JOSEError) return `verifier refused: ${error.code}`;
  return 'verifier refused the token';
}
