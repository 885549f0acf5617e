import { InvalidTokenError } from './jwt-errors';
import { KID_PATTERN, SIGNING_ALGS } from './types';

/** Longest token accepted, in characters; anything longer is refused before decoding. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Header members that point at keys or extensions we never honour (RFC 7515 §4.1). */
const FORBIDDEN_MEMBERS = ['jku', 'x5u', 'x5c', 'jwk', 'crit'] as const;

/** The header members the verifier relies on, already checked. */
export type CheckedHeader = { alg: string; kid: string; typ: string };

/**
 * `typ` compared the RFC 7515 §4.1.9 way: case-insensitive, with an optional `application/`
 * prefix, so `at+jwt`, `AT+JWT` and `application/at+jwt` are the same.
 */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/**
 * Decodes and checks a compact JWS header before any library sees the token. Throws an
 * {@link InvalidTokenError} if the token is not a string of at most {@link MAX_TOKEN_LENGTH}
 * characters in three base64url segments, the header is not a JSON object, `alg` is not one of
 * ours (exact case), `kid` does not match {@link KID_PATTERN}, any of `jku`, `x5u`, `x5c`,
 * `jwk`, `crit` is present, or `typ` differs from `expectedTyp`.
 */
export function readHeader(token: unknown, expectedTyp: string): CheckedHeader {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidTokenError('token missing or too long');
  }
  if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('not a compact JWS');
  const header = parseSegment(token.slice(0, token.indexOf('.')));
  const { alg, kid, typ } = header;
  if (typeof alg !== 'string' || !(SIGNING_ALGS as readonly string[]).includes(alg)) {
    throw new InvalidTokenError('alg not accepted');
  }
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw new InvalidTokenError('kid missing or malformed');
  }
  for (const member of FORBIDDEN_MEMBERS) {
    if (Object.hasOwn(header, member)) throw new InvalidTokenError(`header ${member} refused`);
  }
  if (typeof typ !== 'string' || normalizeTyp(typ) !== normalizeTyp(expectedTyp)) {
    throw new InvalidTokenError('typ not accepted');
  }
  return { alg, kid, typ };
}

function parseSegment(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('header is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidTokenError('header is not a JSON object');
  }
  return value as Record<string, unknown>;
}
