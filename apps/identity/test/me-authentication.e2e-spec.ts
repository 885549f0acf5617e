import { decodeJwt } from 'jose';
import { login, register, registerAndLogin } from './support/accounts';
import type { Reply } from './support/http';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

/** A 401 that tells a bearer client to authenticate (RFC 6750 §3). */
function expectUnauthenticated(reply: Reply) {
  expectProblem(reply, 401, 'unauthenticated');
  expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  expect(reply.body).not.toHaveProperty('id');
  expect(reply.body).not.toHaveProperty('email');
}

describe('GET and PATCH /v1/me', () => {
  const { app, api } = appForSuite();

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
