import { jwtVerify, createRemoteJWKSet } from 'jose';
import { login, register } from './support/accounts';
import { client } from './support/http';
import { startApp, TestApp } from './support/test-app';

describe('a login screen and a resource server against Tessera', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('issues an access token that verifies through the served JWKS', async () => {
    const api = client(app.url);
    const account = await register(api);
    const tokens = await login(api, account);

    const jwks = createRemoteJWKSet(new URL(`${app.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: app.url,
      audience: 'api',
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe(account.id);
    expect(payload.amr).toEqual(['pwd']);
  });
});
