import { GOOD_PASSWORD, login, register, registerAndLogin } from './support/accounts';
import { appForSuite } from './support/suite-app';

// Cases an independent review found: each answered wrongly before its fix.
describe('inputs and races that once slipped through', () => {
  const { app, api } = appForSuite();

  it('refuses control characters in a display name with a 400, at registration and later', async () => {
    const email = `nul-${Date.now()}@example.com`;
    const refused = await api.post('/v1/auth/register', {
      email,
      password: GOOD_PASSWORD,
      displayName: 'Eve\u0000',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.errors[0].field).toBe('displayName');
    const [{ count }] = await app.db.query(
      'SELECT count(*)::int AS count FROM users WHERE email = $1',
      [email],
    );
    expect(count).toBe(0);

    const { tokens } = await registerAndLogin(api);
    for (const displayName of ['a\u0000b', 'line\r\nSet-Cookie: x=1', '\u001b[31mred']) {
      const reply = await api.patch('/v1/me', { displayName }, { token: tokens.access_token });
      expect(reply.status).toBe(400);
    }
  });

  it('answers a login whose email holds a NUL like any unknown account', async () => {
    const reply = await api.post('/v1/auth/login', {
      email: 'a\u0000@example.com',
      password: GOOD_PASSWORD,
    });
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe('invalid_credentials');
  });

  it('refuses form bodies outside /oauth, so no other site can post a login form here', async () => {
    const account = await register(api);
    const reply = await api.post('/v1/auth/login', undefined, {
      form: { email: account.email, password: account.password },
    });
    expect(reply.status).toBe(415);
    expect(reply.body.code).toBe('unsupported_media_type');
  });

  it('records token.refreshed for every successful refresh', async () => {
    const account = await register(api);
    const tokens = await login(api, account);
    const reply = await api.post('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(reply.status).toBe(200);
    const rows = await app.db.query(
      `SELECT details FROM audit_events WHERE type = 'token.refreshed' AND subject_id = $1`,
      [account.id],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(tokens.refresh_token);
  });

  it('lets only one of two concurrent password changes win', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const candidates = ['first new passphrase of many words', 'second new passphrase, other words'];
    const replies = await Promise.all(
      candidates.map((newPassword) =>
        api.post(
          '/v1/me/password',
          { currentPassword: account.password, newPassword },
          { token: tokens.access_token },
        ),
      ),
    );

    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect([403, 409]).toContain(statuses.find((status) => status !== 204));
    const winner = candidates[statuses.indexOf(204)];
    const loser = candidates[1 - statuses.indexOf(204)];
    await login(api, { email: account.email, password: winner });
    const refused = await api.post('/v1/auth/login', { email: account.email, password: loser });
    expect(refused.status).toBe(401);
  });
});
