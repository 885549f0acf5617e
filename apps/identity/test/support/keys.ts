import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Tokens } from './accounts';
import type { Client } from './http';
import type { TestApp } from './test-app';

export async function publishedKids(api: Client): Promise<string[]> {
  return (await api.get('/.well-known/jwks.json')).body.keys.map((key: { kid: string }) => key.kid);
}

export function kidOf(tokens: Pick<Tokens, 'access_token'>): string | undefined {
  return decodeProtectedHeader(tokens.access_token).kid;
}

/** Verifies as an outside resource server would: only the JWKS URL, the issuer and the audience. */
export function verifyThroughJwks(app: TestApp, token: string) {
  const jwks = createRemoteJWKSet(new URL(`${app.url}/.well-known/jwks.json`));
  return jwtVerify(token, jwks, { issuer: app.config.issuer, audience: 'api', typ: 'at+jwt' });
}
