import { GOOD_PASSWORD, login, register, uniqueEmail } from './support/accounts';
import { creds } from './support/credentials';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

describe('POST /v1/auth/login', () => {
  const { app, api } = appForSuite();

  describe('failure', () => {
    it('gives a wrong password and an unknown email the very same 401', async () => {
      const account = await register(api);
      const wrong = await api.post('/v1/auth/login', {
        email: account.email,
        password: 'not the password at all, sorry',
      });
      const unknown = await api.post('/v1/auth/login', {
        email: uniqueEmail('nobody'),
        password: 'not the password at all, sorry',
      });
      const unknownRightPassword = await api.post('/v1/auth/login', {
        email: uniqueEmail('nobody'),
        password: GOOD_PASSWORD,
      });

      for (const reply of [wrong, unknown, unknownRightPassword]) {
        expectProblem(reply, 401, 'invalid_credentials');
        expect(reply.body).not.toHaveProperty('access_token');
      }
      expect(unknown.text).toBe(wrong.text);
      expect(unknownRightPassword.text).toBe(wrong.text);
      expect(unknown.headers.get('content-type')).toBe(wrong.headers.get('content-type'));
      expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
      expect(wrong.text).not.toContain(account.email);

      const sessions = await app.db.query('SELECT 1 FROM sessions WHERE user_id = $1', [
        account.id,
      ]);
      expect(sessions).toHaveLength(0);
    });

    it('refuses a disabled user the same way, even with the right password', async () => {
      const account = await register(api);
      const tokens = await login(api, account);
      const wrong = await api.post('/v1/auth/login', {
        email: account.email,
        password: 'not the password at all, sorry',
      });

      await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [account.id]);

      const reply = await api.post('/v1/auth/login', {
        email: account.email,
        password: account.password,
      });
      expectProblem(reply, 401, 'invalid_credentials');
      expect(reply.text).toBe(wrong.text);
      const sessions = await app.db.query('SELECT 1 FROM sessions WHERE user_id = $1', [
        account.id,
      ]);
      expect(sessions).toHaveLength(1); // only the one from before it was disabled

      // The session opened before is dead too.
      expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(401);
      const refreshed = await api.post('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      expect({ status: refreshed.status, error: refreshed.body?.error }).toEqual({
        status: 400,
        error: 'invalid_grant',
      });

      // Enabled again, the same password works.
      await app.db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [account.id]);
      expect((await api.post('/v1/auth/login', creds(account))).status).toBe(200);
    });

    it('answers 401 for a password longer than any accepted one, without a 400 that tells', async () => {
      const account = await register(api);
      const reply = await api.post('/v1/auth/login', {
        email: account.email,
        password: `${account.password}${'x'.repeat(200)}`,
      });
      expectProblem(reply, 401, 'invalid_credentials');
    });

    it('does not log in with a password differing only in case or by a trailing space', async () => {
      const account = await register(api);
      for (const password of [
        account.password.toUpperCase(),
        `${account.password} `,
        ` ${account.password}`,
        account.password.slice(0, -1),
      ]) {
        expectProblem(
          await api.post('/v1/auth/login', { email: account.email, password }),
          401,
          'invalid_credentials',
        );
      }
    });

    it('refuses a body without email or password, or with extra fields, with 400', async () => {
      const account = await register(api);
      for (const body of [
        { email: account.email },
        { password: account.password },
        { email: account.email, password: 12345 },
        { email: account.email, password: account.password, remember: true },
      ]) {
        const reply = await api.post('/v1/auth/login', body);
        expectProblem(reply, 400, 'validation_failed');
        expect(reply.body).not.toHaveProperty('access_token');
      }
    });

    it('refuses a user whose stored hash is unknown or damaged, with the same 401', async () => {
      const account = await register(api);
      const wrong = await api.post('/v1/auth/login', { email: account.email, password: 'nope' });
      for (const hash of ['', 'plaintext', '$2b$10$short', '$argon2id$v=19$garbage']) {
        await app.db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [account.id, hash]);
        const reply = await api.post('/v1/auth/login', creds(account));
        expectProblem(reply, 401, 'invalid_credentials');
        expect(reply.text).toBe(wrong.text);
      }
      await app.db.query('UPDATE users SET password_hash = NULL WHERE id = $1', [account.id]);
      expect((await api.post('/v1/auth/login', creds(account))).text).toBe(wrong.text);
    });
  });
});
