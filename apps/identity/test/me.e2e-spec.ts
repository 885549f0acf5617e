import { decodeJwt } from 'jose';
import { GOOD_PASSWORD, login, register, registerAndLogin, uniqueEmail } from './support/accounts';
import { client, Client, Reply } from './support/http';
import { startApp, TestApp } from './support/test-app';

function expectProblem(reply: Reply, status: number, code: string) {
  expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code });
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({
    type: expect.stringMatching(/\S/),
    title: expect.stringMatching(/\S/),
    status,
    code,
  });
}

/** A 401 that tells a bearer client to authenticate (RFC 6750 §3). */
function expectUnauthenticated(reply: Reply) {
  expectProblem(reply, 401, 'unauthenticated');
  expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  expect(reply.body).not.toHaveProperty('id');
  expect(reply.body).not.toHaveProperty('email');
}

describe('GET and PATCH /v1/me', () => {
  let app: TestApp;
  let api: Client;

  beforeAll(async () => {
    app = await startApp();
    api = client(app.url);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function storedUser(id: string) {
    const [row] = await app.db.query(
      'SELECT email, display_name, password_hash FROM users WHERE id = $1',
      [id],
    );
    return row as { email: string; display_name: string | null; password_hash: string };
  }

  describe('GET /v1/me', () => {
    it('returns the caller\u2019s profile as registration did, with nothing secret', async () => {
      const email = uniqueEmail('me');
      const registered = await api.post('/v1/auth/register', {
        email,
        password: GOOD_PASSWORD,
        displayName: 'Grace Hopper',
      });
      expect(registered.status).toBe(201);
      const tokens = await login(api, { email, password: GOOD_PASSWORD });

      const reply = await api.get('/v1/me', { token: tokens.access_token });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body).toEqual(registered.body);
      expect(reply.body).toEqual({
        id: registered.body.id,
        email,
        displayName: 'Grace Hopper',
        roles: ['user'],
        mfaEnabled: false,
        createdAt: registered.body.createdAt,
      });
      expect(reply.text).not.toMatch(/password|hash|\$2[aby]\$|\$argon2|\$bcrypt/i);
      expect(reply.text).not.toContain(tokens.refresh_token);
    });

    it('answers each caller with their own profile', async () => {
      const alice = await registerAndLogin(api);
      const bob = await registerAndLogin(api);
      expect((await api.get('/v1/me', { token: alice.tokens.access_token })).body.id).toBe(
        alice.account.id,
      );
      expect((await api.get('/v1/me', { token: bob.tokens.access_token })).body.id).toBe(
        bob.account.id,
      );
    });
  });

  describe('PATCH /v1/me', () => {
    it('updates the display name, trimmed, and GET shows it', async () => {
      const { account, tokens } = await registerAndLogin(api);
      const reply = await api.patch(
        '/v1/me',
        { displayName: '  Margaret Hamilton  ' },
        { token: tokens.access_token },
      );
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        id: account.id,
        email: account.email,
        displayName: 'Margaret Hamilton',
        roles: ['user'],
      });
      expect((await api.get('/v1/me', { token: tokens.access_token })).body.displayName).toBe(
        'Margaret Hamilton',
      );
      expect((await storedUser(account.id)).display_name).toBe('Margaret Hamilton');

      // A second change replaces the first; unicode is kept as given.
      const again = await api.patch(
        '/v1/me',
        { displayName: 'Zoë 🚀 Ōkubo' },
        { token: tokens.access_token },
      );
      expect(again.status).toBe(200);
      expect(again.body.displayName).toBe('Zoë 🚀 Ōkubo');
    });

    it('clears the display name with null (and with a blank string)', async () => {
      const { account, tokens } = await registerAndLogin(api);
      await api.patch('/v1/me', { displayName: 'Temporary' }, { token: tokens.access_token });
      expect((await storedUser(account.id)).display_name).toBe('Temporary');

      const cleared = await api.patch(
        '/v1/me',
        { displayName: null },
        { token: tokens.access_token },
      );
      expect(cleared.status).toBe(200);
      expect(cleared.body.displayName).toBeNull();
      expect((await storedUser(account.id)).display_name).toBeNull();
      expect((await api.get('/v1/me', { token: tokens.access_token })).body.displayName).toBeNull();

      await api.patch('/v1/me', { displayName: 'Again' }, { token: tokens.access_token });
      const blank = await api.patch(
        '/v1/me',
        { displayName: '   ' },
        { token: tokens.access_token },
      );
      expect(blank.status).toBe(200);
      expect(blank.body.displayName).toBeNull();
    });

    it.each([
      ['roles', { roles: ['admin'] }],
      ['roles beside a valid field', { displayName: 'Eve', roles: ['admin'] }],
      ['email', { email: 'takeover@example.com' }],
      ['email beside a valid field', { displayName: 'Eve', email: 'takeover@example.com' }],
      ['id', { displayName: 'Eve', id: '00000000-0000-4000-8000-000000000001' }],
      ['password', { displayName: 'Eve', password: 'a brand new password here' }],
      ['mfaEnabled', { displayName: 'Eve', mfaEnabled: true }],
      ['an unknown field', { displayName: 'Eve', nickname: 'evie' }],
    ])('refuses %s with 400 and changes nothing', async (_, body) => {
      const { account, tokens } = await registerAndLogin(api);
      await api.patch('/v1/me', { displayName: 'Before' }, { token: tokens.access_token });
      const before = await storedUser(account.id);

      const reply = await api.patch('/v1/me', body, { token: tokens.access_token });
      expectProblem(reply, 400, 'validation_failed');
      expect(reply.body.errors).toEqual(expect.arrayContaining([expect.anything()]));

      expect(await storedUser(account.id)).toEqual(before);
      const me = await api.get('/v1/me', { token: tokens.access_token });
      expect(me.body).toMatchObject({
        email: account.email,
        roles: ['user'],
        displayName: 'Before',
      });
      const roles = await app.db.query('SELECT role_id FROM user_roles WHERE user_id = $1', [
        account.id,
      ]);
      expect(roles).toHaveLength(1);
    });

    it.each([
      ['an empty body', {}],
      ['a number', { displayName: 42 }],
      ['an object', { displayName: { first: 'Eve' } }],
      ['more than 100 characters', { displayName: 'n'.repeat(101) }],
    ])('refuses %s with 400 on field displayName', async (_, body) => {
      const { account, tokens } = await registerAndLogin(api);
      const reply = await api.patch('/v1/me', body, { token: tokens.access_token });
      expectProblem(reply, 400, 'validation_failed');
      for (const error of reply.body.errors) expect(error.field).toBe('displayName');
      expect((await storedUser(account.id)).display_name).toBeNull();
    });

    it('accepts exactly 100 characters', async () => {
      const { tokens } = await registerAndLogin(api);
      const name = 'n'.repeat(100);
      const reply = await api.patch(
        '/v1/me',
        { displayName: name },
        { token: tokens.access_token },
      );
      expect(reply.status).toBe(200);
      expect(reply.body.displayName).toBe(name);
    });

    it('refuses a body that is not a JSON object', async () => {
      const { tokens } = await registerAndLogin(api);
      for (const raw of ['[]', '"name"', 'null', '{"displayName": ']) {
        const reply = await api.patch('/v1/me', undefined, {
          token: tokens.access_token,
          raw,
          headers: { 'content-type': 'application/json' },
        });
        expect(reply.status).toBe(400);
        expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('authentication', () => {
    let tokens: { access_token: string; refresh_token: string };
    let accountId: string;

    beforeAll(async () => {
      const created = await registerAndLogin(api);
      tokens = created.tokens;
      accountId = created.account.id;
    });

    it('answers 401 with a Bearer challenge without a token', async () => {
      const get = await api.get('/v1/me');
      expectUnauthenticated(get);
      expect(get.headers.get('www-authenticate')).not.toMatch(/error=/);
      expectUnauthenticated(await api.patch('/v1/me', { displayName: 'nobody' }));
    });

    it.each([
      ['garbage', 'Bearer not-a-token'],
      ['three garbage parts', 'Bearer aaa.bbb.ccc'],
      ['an empty bearer', 'Bearer '],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
      ['the token without a scheme', 'TOKEN'],
    ])('answers 401 invalid_token for %s', async (_, authorization) => {
      const value = authorization === 'TOKEN' ? tokens.access_token : authorization;
      const reply = await api.get('/v1/me', { headers: { authorization: value } });
      expectUnauthenticated(reply);
    });

    it('flags a presented but refused token with error="invalid_token"', async () => {
      const reply = await api.get('/v1/me', { token: 'not-a-token' });
      expectUnauthenticated(reply);
      expect(reply.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });

    it('refuses a token whose signature or payload was altered', async () => {
      const [header, payload, signature] = tokens.access_token.split('.');
      const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
      expectUnauthenticated(
        await api.get('/v1/me', { token: [header, payload, flipped].join('.') }),
      );

      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const elevated = Buffer.from(
        JSON.stringify({ ...claims, roles: ['admin', 'user'] }),
      ).toString('base64url');
      expectUnauthenticated(
        await api.get('/v1/me', { token: [header, elevated, signature].join('.') }),
      );
      const unsigned = [
        Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url'),
        payload,
        '',
      ].join('.');
      expectUnauthenticated(
        await api.get('/v1/me', { headers: { authorization: `Bearer ${unsigned}` } }),
      );
    });

    it('never reads a token from the query string', async () => {
      // The same token works in the header...
      expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(200);
      // ...but not as ?access_token=, on GET or PATCH.
      const query = `?access_token=${encodeURIComponent(tokens.access_token)}`;
      expectUnauthenticated(await api.get(`/v1/me${query}`));
      const patch = await api.patch(`/v1/me${query}`, { displayName: 'via query' });
      expectUnauthenticated(patch);
      const [row] = await app.db.query('SELECT display_name FROM users WHERE id = $1', [accountId]);
      expect(row.display_name).toBeNull();
      // Nor as a body field.
      expectUnauthenticated(
        await api.patch('/v1/me', { displayName: 'via body', access_token: tokens.access_token }),
      );
    });

    it('refuses a still-unexpired access token once its session is revoked with the refresh token', async () => {
      const { tokens: own } = await registerAndLogin(api);
      expect((await api.get('/v1/me', { token: own.access_token })).status).toBe(200);

      const revoked = await api.post('/oauth/revoke', { token: own.refresh_token });
      expect(revoked.status).toBe(200);

      const exp = decodeJwt(own.access_token).exp!;
      expect(exp * 1000).toBeGreaterThan(Date.now() + 60_000); // the token itself is still valid
      const reply = await api.get('/v1/me', { token: own.access_token });
      expectUnauthenticated(reply);
      expect(reply.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      expectUnauthenticated(
        await api.patch('/v1/me', { displayName: 'too late' }, { token: own.access_token }),
      );

      // And the refresh token is dead too.
      const refreshed = await api.post('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: own.refresh_token,
      });
      expect({ status: refreshed.status, error: refreshed.body?.error }).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
    });

    it('refuses the access token once its session is revoked with the access token itself', async () => {
      const { tokens: own } = await registerAndLogin(api);
      expect((await api.post('/oauth/revoke', { token: own.access_token })).status).toBe(200);
      expectUnauthenticated(await api.get('/v1/me', { token: own.access_token }));
    });

    it('keeps the other sessions of the user when one is revoked', async () => {
      const account = await register(api);
      const first = await login(api, account);
      const second = await login(api, account);
      await api.post('/oauth/revoke', { token: first.refresh_token });
      expectUnauthenticated(await api.get('/v1/me', { token: first.access_token }));
      expect((await api.get('/v1/me', { token: second.access_token })).status).toBe(200);
    });

    it('refuses the token of a user disabled after login', async () => {
      const { account, tokens: own } = await registerAndLogin(api);
      await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [account.id]);
      expectUnauthenticated(await api.get('/v1/me', { token: own.access_token }));
    });

    it('refuses the token of a user deleted after login', async () => {
      const { account, tokens: own } = await registerAndLogin(api);
      await app.db.query('DELETE FROM users WHERE id = $1', [account.id]);
      expectUnauthenticated(await api.get('/v1/me', { token: own.access_token }));
    });
  });
});
