import { jwtVerify, createRemoteJWKSet } from 'jose';
import { login, register } from './support/accounts';
import { client } from './support/http';
import { appForSuite } from './support/suite-app';

describe('a login screen and a resource server against Tessera', () => {
  const { app } = appForSuite();

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
