import { GOOD_PASSWORD, login, registerAndLogin, uniqueEmail } from './support/accounts';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

describe('GET and PATCH /v1/me', () => {
  const { app, api } = appForSuite();

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
      expect(reply.body).toEqual({ ...registered.body, heldBackRoles: [] });
      expect(reply.body).toEqual({
        id: registered.body.id,
        email,
        displayName: 'Grace Hopper',
        roles: ['user'],
        mfaEnabled: false,
        createdAt: registered.body.createdAt,
        heldBackRoles: [],
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
});
