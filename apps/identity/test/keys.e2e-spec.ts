import { createPrivateKey, randomBytes } from 'node:crypto';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config';
import { registerAndLogin } from './support/accounts';
import { kidOf, publishedKids, verifyThroughJwks } from './support/keys';
import { ADMIN_SUITE_ENV, adminToken } from './support/admin';
import { client } from './support/http';
import { appForSuite } from './support/suite-app';
import { createTestDatabase, startApp } from './support/test-app';

// Booting an app (a new signing key for each fresh database) can take longer than Jest's 5 s.

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('the published keys and server metadata', () => {
  const { app, api } = appForSuite();

  it('serves a cacheable JWKS of public signing keys only', async () => {
    const reply = await api.get('/.well-known/jwks.json');

    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toMatch(/^public, max-age=[1-9]\d*$/);
    expect(reply.body.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of reply.body.keys) {
      expect(key).toMatchObject({ kid: expect.any(String), alg: 'RS256', use: 'sig' });
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
  });

  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'])(
    'describes the server at %s with the app URL as issuer',
    async (path) => {
      const { status, body } = await api.get(path);

      expect(status).toBe(200);
      expect(body).toMatchObject({
        issuer: app.url,
        jwks_uri: `${app.url}/.well-known/jwks.json`,
        token_endpoint: `${app.url}/oauth/token`,
        revocation_endpoint: `${app.url}/oauth/revoke`,
        introspection_endpoint: `${app.url}/oauth/introspect`,
      });
      expect(body.grant_types_supported).toContain('refresh_token');
      expect(Array.isArray(body.token_endpoint_auth_methods_supported)).toBe(true);
      expect(Array.isArray(body.response_types_supported)).toBe(true);
    },
  );

  it('stores the private key sealed, with the public JWK that the JWKS serves', async () => {
    const rows: { kid: string; private_key: string; public_jwk: object }[] = await app.db.query(
      `SELECT kid, private_key, public_jwk FROM signing_keys WHERE state = 'active'`,
    );
    const { body } = await api.get('/.well-known/jwks.json');

    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(body.keys).toContainEqual(row.public_jwk);
    expect(row.private_key).not.toMatch(/PRIVATE KEY/);
    for (const encoding of ['base64', 'base64url', 'hex', 'latin1'] as const) {
      const bytes = Buffer.from(row.private_key, encoding);
      expect(() => createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' })).toThrow();
    }
    expect(() => createPrivateKey(row.private_key)).toThrow();
  });
});

describe('rotating the signing key', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);

  async function rotate(query = ''): Promise<string> {
    const reply = await api.post(`/v1/admin/keys/rotate${query}`, undefined, {
      token: await adminToken(api),
    });
    expect(reply.status).toBe(201);
    return reply.body.kid;
  }

  it('signs with the new key and keeps the old one published for its tokens', async () => {
    const { tokens: before } = await registerAndLogin(api);
    const oldKid = kidOf(before)!;

    const newKid = await rotate();

    expect(newKid).not.toBe(oldKid);
    expect(await publishedKids(api)).toEqual(expect.arrayContaining([oldKid, newKid]));
    const { tokens: after } = await registerAndLogin(api);
    expect(kidOf(after)).toBe(newKid);
    expect((await api.get('/v1/me', { token: before.access_token })).status).toBe(200);
    await expect(verifyThroughJwks(app, before.access_token)).resolves.toBeDefined();
    await expect(verifyThroughJwks(app, after.access_token)).resolves.toBeDefined();
  });

  it('withdraws the previous key at once when rotating after a compromise', async () => {
    const { tokens: before } = await registerAndLogin(api);
    const oldKid = kidOf(before)!;

    const newKid = await rotate('?revoke_previous=true');

    const me = await api.get('/v1/me', { token: before.access_token });
    expect(me.status).toBe(401);
    expect(me.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await publishedKids(api)).not.toContain(oldKid);
    await expect(verifyThroughJwks(app, before.access_token)).rejects.toThrow();
    const { tokens: after } = await registerAndLogin(api);
    expect(kidOf(after)).toBe(newKid);
    expect((await api.get('/v1/me', { token: after.access_token })).status).toBe(200);
  });
});

describe('keys across restarts', () => {
  // A restart gets a new port; a fixed issuer keeps tokens from before it valid.
  const ISSUER = 'http://tessera.restart.test';

  it('keeps the same signing key across a restart on the same database', async () => {
    const database = await createTestDatabase();
    const first = await startApp({ ISSUER }, database);
    const { tokens } = await registerAndLogin(client(first.url));
    const kids = await publishedKids(client(first.url));
    await first.stop();

    const second = await startApp({ ISSUER }, database);
    try {
      const api = client(second.url);
      expect(await publishedKids(api)).toEqual(kids);
      expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(200);
      expect(kidOf((await registerAndLogin(api)).tokens)).toBe(kidOf(tokens));
    } finally {
      await second.stop();
      await database.drop();
    }
  });

  it('refuses to start with a MASTER_KEY that did not seal the stored key', async () => {
    const database = await createTestDatabase();
    const first = await startApp({ ISSUER }, database);
    await first.stop();

    const env = { ...first.env, MASTER_KEY: randomBytes(32).toString('base64') };
    const app = await createApp(loadConfig(env));
    try {
      await expect(app.init()).rejects.toThrow(/cannot be decrypted/);
    } finally {
      await app.close().catch(() => undefined);
      await database.drop();
    }
  });
});
