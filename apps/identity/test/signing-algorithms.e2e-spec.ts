import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { registerAndLogin } from './support/accounts';
import { client, type Client } from './support/http';
import { appForSuite } from './support/suite-app';
import { createTestDatabase, startApp, type TestApp } from './support/test-app';

// Booting an app (a new signing key for each fresh database) can take longer than Jest's 5 s.

interface PublishedKey {
  kid: string;
  alg: string;
  kty: string;
  crv?: string;
}

async function publishedKeys(api: Client): Promise<PublishedKey[]> {
  return (await api.get('/.well-known/jwks.json')).body.keys;
}

/** Verifies as an outside resource server would, allowing only the algorithm it expects. */
function verifyThroughJwks(app: TestApp, token: string, alg: string) {
  const jwks = createRemoteJWKSet(new URL(`${app.url}/.well-known/jwks.json`));
  return jwtVerify(token, jwks, {
    issuer: app.config.issuer,
    audience: 'api',
    typ: 'at+jwt',
    algorithms: [alg],
  });
}

describe.each([
  { alg: 'ES256', kty: 'EC', crv: 'P-256' },
  { alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' },
])('signing with SIGNING_ALG=$alg', ({ alg, kty, crv }) => {
  const { app, api } = appForSuite({ SIGNING_ALG: alg });

  it(`issues login tokens with alg ${alg} that verify through the JWKS`, async () => {
    const { account, tokens } = await registerAndLogin(api);

    const header = decodeProtectedHeader(tokens.access_token);
    expect(header).toMatchObject({ alg, typ: 'at+jwt' });
    const { payload } = await verifyThroughJwks(app, tokens.access_token, alg);
    expect(payload.sub).toBe(account.id);
    expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(200);
  });

  it(`publishes the ${alg} key as ${kty} ${crv}`, async () => {
    const keys = await publishedKeys(api);

    expect(keys).toEqual([expect.objectContaining({ alg, kty, crv, use: 'sig' })]);
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('signs refreshed tokens with the same algorithm', async () => {
    const { tokens } = await registerAndLogin(api);

    const reply = await api.post('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });

    expect(reply.status).toBe(200);
    await expect(verifyThroughJwks(app, reply.body.access_token, alg)).resolves.toBeDefined();
  });
});

describe('switching SIGNING_ALG on a restart', () => {
  // A restart gets a new port; a fixed issuer keeps tokens from before it valid.
  const ISSUER = 'http://tessera.alg-switch.test';

  it.each([
    ['RS256', 'ES256'],
    ['ES256', 'EdDSA'],
  ])(
    'activates a new key when %s becomes %s, keeping the old one for its tokens',
    async (from, to) => {
      const database = await createTestDatabase();
      const first = await startApp({ ISSUER, SIGNING_ALG: from }, database);
      const { tokens: before } = await registerAndLogin(client(first.url));
      const oldKid = decodeProtectedHeader(before.access_token).kid;
      await first.stop();

      const second = await startApp({ ISSUER, SIGNING_ALG: to }, database);
      try {
        const api = client(second.url);
        const { tokens: after } = await registerAndLogin(api);
        const header = decodeProtectedHeader(after.access_token);
        expect(header.alg).toBe(to);
        expect(header.kid).not.toBe(oldKid);

        const keys = await publishedKeys(api);
        expect(keys).toContainEqual(expect.objectContaining({ kid: oldKid, alg: from }));
        expect(keys).toContainEqual(expect.objectContaining({ kid: header.kid, alg: to }));
        expect((await api.get('/v1/me', { token: before.access_token })).status).toBe(200);
        await expect(verifyThroughJwks(second, before.access_token, from)).resolves.toBeDefined();
        await expect(verifyThroughJwks(second, after.access_token, to)).resolves.toBeDefined();
        const discovery = await api.get('/.well-known/openid-configuration');
        expect(discovery.body.access_token_signing_alg_values_supported).toContain(to);
      } finally {
        await second.stop();
        await database.drop();
      }
    },
  );
});
