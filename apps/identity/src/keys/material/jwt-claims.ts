import { InvalidTokenError } from './jwt-errors';

/** The claims of a verified token: the registered ones checked, the rest passed through. */
export type JwtClaims = {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  jti?: string;
  [k: string]: unknown;
};

/** What a verified token must satisfy, apart from its signature. */
export type ClaimExpectations = {
  /** Compared exactly: no trailing-slash, case or scheme leniency. */
  issuer: string;
  /** The token's `aud` must contain at least one of these. */
  audience: string | string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. */
  clockToleranceSeconds: number;
  /** If set, tokens whose `iat` is this many seconds old (plus tolerance) are refused. */
  maxAgeSeconds?: number;
};

/** Throws a `TypeError` when the expectations themselves are unusable (a caller bug). */
export function assertExpectations(expect: ClaimExpectations): void {
  const audiences = Array.isArray(expect.audience) ? expect.audience : [expect.audience];
  if (typeof expect.issuer !== 'string' || expect.issuer === '') {
    throw new TypeError('expected issuer must be a non-empty string');
  }
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a === '')) {
    throw new TypeError('expected audience must be one or more non-empty strings');
  }
  if (!isSeconds(expect.clockToleranceSeconds)) {
    throw new TypeError('clock tolerance must be a finite number of seconds, 0 or more');
  }
  if (expect.maxAgeSeconds !== undefined && !isSeconds(expect.maxAgeSeconds)) {
    throw new TypeError('max age must be a finite number of seconds, 0 or more');
  }
}

/**
 * Checks a signature-verified payload at `now` (seconds since the epoch). Throws an
 * {@link InvalidTokenError} unless it is a JSON object with numeric `exp` and `iat`, `exp` not
 * past and `nbf`/`iat` not ahead (each with the tolerance), not older than `maxAgeSeconds`,
 * `iss` exactly the expected issuer, `aud` sharing a value with the expected audience, and a
 * non-empty string `sub`. Edges match jsonwebtoken: expired when `now >= exp + tolerance`.
 */
export function checkClaims(payload: unknown, expect: ClaimExpectations, now: number): JwtClaims {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidTokenError('payload is not a JSON object');
  }
  const claims = payload as Record<string, unknown>;
  const { exp, iat, nbf, iss, aud, sub, jti } = claims;
  const tolerance = expect.clockToleranceSeconds;
  if (!isSeconds(exp)) throw new InvalidTokenError('exp missing or not a number');
  if (!isSeconds(iat)) throw new InvalidTokenError('iat missing or not a number');
  if (nbf !== undefined && !isSeconds(nbf)) throw new InvalidTokenError('nbf not a number');
  if (now >= exp + tolerance) throw new InvalidTokenError('token expired');
  if (nbf !== undefined && nbf > now + tolerance) throw new InvalidTokenError('not yet valid');
  if (iat > now + tolerance) throw new InvalidTokenError('issued in the future');
  if (expect.maxAgeSeconds !== undefined && now >= iat + expect.maxAgeSeconds + tolerance) {
    throw new InvalidTokenError('token too old');
  }
  if (typeof iss !== 'string' || iss !== expect.issuer) {
    throw new InvalidTokenError('issuer mismatch');
  }
  if (!audienceMatches(aud, expect.audience)) throw new InvalidTokenError('audience mismatch');
  if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('sub missing');
  if (jti !== undefined && typeof jti !== 'string') throw new InvalidTokenError('jti not a string');
  return claims as JwtClaims;
}

function audienceMatches(aud: unknown, expected: string | string[]): boolean {
  const presented = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(presented) || presented.some((a) => typeof a !== 'string')) return false;
  const wanted = Array.isArray(expected) ? expected : [expected];
  return presented.some((a) => wanted.includes(a as string));
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
