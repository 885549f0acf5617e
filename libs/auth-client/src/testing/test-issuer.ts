import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import type {
  AccessTokenClaims,
  AuthClientOptions,
  SigningAlgorithm,
} from '../auth-client.options';

export interface TestIssuerOptions {
  issuer?: string;
  audience?: string;
  alg?: SigningAlgorithm;
  /** Role → permissions, for deciding `@RequirePermissions` locally from the token's `roles`. */
  grants?: Record<string, string[]>;
}

/** Claims to put in a test token; anything not given gets a plausible value. */
export type TestTokenClaims = Partial<AccessTokenClaims>;

/** How to bend a test token, for testing refusals. */
export interface TestTokenShape {
  /** Seconds until `exp`; negative for a token that has already expired. */
  expiresIn?: number;
  typ?: string;
  /** Sign with another key of the same algorithm, one the JWKS does not hold. */
  foreignKey?: boolean;
}

export interface TestIssuer {
  issuer: string;
  audience: string;
  alg: SigningAlgorithm;
  /** The public keys, as the issuer's JWKS would publish them. */
  publicJwks: JSONWebKeySet;
  jwks: JWTVerifyGetKey;
  /** Options for `AuthClientModule.forRoot` that trust this issuer, plus `overrides`. */
  moduleOptions(overrides?: Partial<AuthClientOptions>): AuthClientOptions;
  /** An RFC 9068 access token (`typ: at+jwt`) for a user with a session, unless told otherwise. */
  issueTestToken(claims?: TestTokenClaims, shape?: TestTokenShape): Promise<string>;
}

/** `*` covers everything, `resource:*` every action on the resource, as Tessera judges. */
function covers(granted: string, wanted: string): boolean {
  if (granted === '*' || granted === wanted) return true;
  const resource = granted.slice(0, -1);
  return granted.endsWith(':*') && wanted.startsWith(resource) && wanted.length > resource.length;
}

/**
 * A throwaway issuer for a resource server's own tests: a fresh key pair, nothing served over
 * the network. `moduleOptions()` points the kit at its keys; with `grants`, permissions are
 * decided from the token's roles, without Tessera.
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const issuer = options.issuer ?? 'https://tessera.test';
  const audience = options.audience ?? 'api';
  const alg = options.alg ?? 'RS256';
  const pair = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const publicJwks = { keys: [{ ...publicJwk, kid, alg, use: 'sig' }] };
  const jwks = createLocalJWKSet(publicJwks);
  const grants = options.grants;

  const authorize = grants
    ? (claims: AccessTokenClaims, permissions: string[]) => {
        const held = (claims.roles ?? []).flatMap((role) => grants[role] ?? []);
        return permissions.every((wanted) => held.some((granted) => covers(granted, wanted)));
      }
    : undefined;

  const issueTestToken = async (claims: TestTokenClaims = {}, shape: TestTokenShape = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const key = shape.foreignKey ? (await generateKeyPair(alg)).privateKey : pair.privateKey;
    const payload = {
      iss: issuer,
      sub: randomUUID(),
      aud: audience,
      iat: now,
      nbf: now,
      exp: now + (shape.expiresIn ?? 900),
      jti: randomUUID(),
      client_id: 'tessera',
      sid: randomUUID(),
      amr: ['pwd'],
      roles: ['user'],
      ...claims,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg, kid, typ: shape.typ ?? 'at+jwt' })
      .sign(key);
  };

  return {
    issuer,
    audience,
    alg,
    publicJwks,
    jwks,
    moduleOptions: (overrides = {}) => ({
      issuer,
      audience,
      algorithms: [alg],
      jwks,
      ...(authorize ? { authorize } : {}),
      ...overrides,
    }),
    issueTestToken,
  };
}

/** Signs a test token with `issuer`'s key: the same as `issuer.issueTestToken(...)`. */
export function issueTestToken(
  issuer: TestIssuer,
  claims?: TestTokenClaims,
  shape?: TestTokenShape,
): Promise<string> {
  return issuer.issueTestToken(claims, shape);
}
