// Test support only: builds tokens byte by byte so specs can present any header or payload.
import { createHmac, sign, type KeyObject } from 'node:crypto';
import { generateSigningKey, loadSigningKey } from '../key-pair';
import { InvalidTokenError, verifyJwt, type VerifyExpectations, type VerifyKey } from '../jwt';
import type { LoadedKey, SigningAlg } from '../types';

export const ALGS: readonly SigningAlg[] = ['RS256', 'ES256', 'EdDSA'];
export const ISSUER = 'https://id.example.test';
export const AUDIENCE = 'api';
export const TYP = 'at+jwt';
export const NOW = 1_800_000_000;
export const TOLERANCE = 30;

/** Verification expectations at the fixed {@link NOW}. */
export function expectations(overrides: Partial<VerifyExpectations> = {}): VerifyExpectations {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: TYP,
    clockToleranceSeconds: TOLERANCE,
    nowSeconds: NOW,
    ...overrides,
  };
}

/** Valid access-token claims at {@link NOW}; a member set to undefined is left out. */
export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all = {
    iss: ISSUER,
    sub: 'user-1',
    aud: AUDIENCE,
    iat: NOW,
    exp: NOW + 900,
    jti: 'jti-1',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** A copy of `object` without `member`. */
export function without(object: object, member: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => key !== member));
}

export const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');
export const b64json = (value: unknown): string => b64url(JSON.stringify(value));

/** Signs `input` the way JWS does for `alg`, straight through node:crypto. */
export function jwsSign(alg: SigningAlg, key: KeyObject, input: string): string {
  const data = Buffer.from(input, 'ascii');
  if (alg === 'EdDSA') return b64url(sign(null, data, key));
  if (alg === 'ES256') return b64url(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
  return b64url(sign('sha256', data, key));
}

/** A token with exactly `header` and `payload`, correctly signed by `key`. */
export function forge(
  key: LoadedKey,
  payload: unknown,
  header: Record<string, unknown> = { alg: key.alg, kid: key.kid, typ: TYP },
): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${jwsSign(key.alg, key.privateKey, input)}`;
}

/** An HS256 token MACed with `secret` (for example a public key's bytes). */
export function forgeHs256(secret: Buffer | string, kid: string, payload: unknown): string {
  const input = `${b64json({ alg: 'HS256', kid, typ: TYP })}.${b64json(payload)}`;
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
}

/** One freshly generated, loaded key per alg. */
export async function keyRing(): Promise<Record<SigningAlg, LoadedKey>> {
  const entries = await Promise.all(
    ALGS.map(async (alg) => [alg, loadSigningKey(await generateSigningKey(alg))] as const),
  );
  return Object.fromEntries(entries) as Record<SigningAlg, LoadedKey>;
}

/** A resolver over `keys` that records every kid it is asked for. */
export function resolver(...keys: LoadedKey[]) {
  const asked: string[] = [];
  const resolve = (kid: string): VerifyKey | undefined => {
    asked.push(kid);
    return keys.find((key) => key.kid === kid);
  };
  return Object.assign(resolve, { asked });
}

/**
 * Asserts that `token` is refused with an InvalidTokenError whose message matches `reason` and
 * repeats no part of the token.
 */
export async function expectRefused(
  token: string,
  resolve: (kid: string) => VerifyKey | undefined,
  reason: RegExp,
  expected: VerifyExpectations = expectations(),
): Promise<void> {
  const error = await verifyJwt(token, resolve, expected).then(
    () => new Error('token was accepted'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  const { message } = error as Error;
  expect(message).toMatch(reason);
  expect(message.length).toBeLessThanOrEqual(120);
  for (const part of token.split('.')) if (part.length > 8) expect(message).not.toContain(part);
}
