import { decodeJwt, decodeProtectedHeader } from 'jose';
import { login, register, uniqueEmail } from './support/accounts';
import { appForSuite } from './support/suite-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /v1/auth/login', () => {
  const { app, api } = appForSuite();

  describe('success', () => {
    it('answers 200 with an RFC 6749 token response that is not cached', async () => {
      const account = await register(api);
      const reply = await api.post('/v1/auth/login', {
        email: account.email,
        password: account.password,
      });

      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(reply.body).sort()).toEqual(
        ['access_token', 'expires_in', 'refresh_token', 'token_type'].sort(),
      );
      expect(reply.body).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      });
      expect(reply.text).not.toContain(account.password);

      // The tokens work: the access token on /v1/me, the refresh token on /oauth/token.
      const me = await api.get('/v1/me', { token: reply.body.access_token });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(account.id);
      const refreshed = await api.post('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: reply.body.refresh_token,
      });
      expect(refreshed.status).toBe(200);
    });

    it('opens a new session on every login', async () => {
      const account = await register(api);
      const first = await login(api, account);
      const second = await login(api, account);
      expect(decodeJwt(first.access_token).sid).not.toBe(decodeJwt(second.access_token).sid);
      expect(first.refresh_token).not.toBe(second.refresh_token);
      const rows = await app.db.query('SELECT id FROM sessions WHERE user_id = $1', [account.id]);
      expect(rows).toHaveLength(2);
    });

    it('issues an access token with the RFC 9068 claims and no personal data', async () => {
      const account = await register(api);
      const before = Math.floor(Date.now() / 1000);
      const tokens = await login(api, account);
      const after = Math.floor(Date.now() / 1000);

      const header = decodeProtectedHeader(tokens.access_token);
      expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: expect.any(String) });

      const claims = decodeJwt(tokens.access_token);
      expect(claims.iss).toBe(app.url);
      expect(claims.sub).toBe(account.id);
      expect(claims.aud).toBe('api');
      expect(typeof claims.iat).toBe('number');
      expect(claims.exp! - claims.iat!).toBe(900);
      expect(claims.iat!).toBeGreaterThanOrEqual(before - 1);
      expect(claims.iat!).toBeLessThanOrEqual(after + 1);
      expect(claims.jti).toEqual(expect.stringMatching(/\S{16,}/));
      expect(claims.client_id).toBe('tessera');
      expect(claims.sid).toEqual(expect.stringMatching(UUID));
      expect(claims.amr).toEqual(['pwd']);
      expect(claims.roles).toEqual(['user']);

      // The session named in the token is this user's, live session.
      const sessions = await app.db.query(
        'SELECT user_id, revoked_at FROM sessions WHERE id = $1',
        [claims.sid],
      );
      expect(sessions).toEqual([{ user_id: account.id, revoked_at: null }]);

      // No email (or any other personal or secret value) travels in the token.
      expect(claims).not.toHaveProperty('email');
      const payload = Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString();
      expect(payload).not.toContain(account.email);
      expect(payload).not.toContain(account.email.split('@')[0]);
      expect(payload).not.toContain(account.password);
      expect(payload).not.toContain(tokens.refresh_token);

      // Every token has its own id.
      const again = decodeJwt((await login(api, account)).access_token);
      expect(again.jti).not.toBe(claims.jti);
    });

    it('finds the account by any form of the email', async () => {
      const account = await register(api, uniqueEmail('case'));
      const reply = await api.post('/v1/auth/login', {
        email: `  ${account.email.toUpperCase()} `,
        password: account.password,
      });
      expect(reply.status).toBe(200);
      expect(decodeJwt(reply.body.access_token).sub).toBe(account.id);
    });
  });
});
