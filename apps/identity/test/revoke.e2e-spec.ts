import { decodeJwt } from 'jose';
import { registerAndLogin, type Tokens } from './support/accounts';
import type { Client, Reply } from './support/http';
import { appForSuite } from './support/suite-app';

// Booting an app (a new signing key for each fresh database) can take longer than Jest's 5 s.

type Encoding = 'form' | 'JSON';

function revoke(api: Client, params: Record<string, string>, encoding: Encoding): Promise<Reply> {
  return encoding === 'form'
    ? api.post('/oauth/revoke', undefined, { form: params })
    : api.post('/oauth/revoke', params);
}

function refresh(api: Client, refreshToken: string): Promise<Reply> {
  return api.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
}

describe('logging out at POST /oauth/revoke', () => {
  const { app, api } = appForSuite({ LOGIN_IP_LIMIT: '1000/60' });

  /** The session is over: its refresh token is refused and its access token too. */
  async function expectSessionEnded(tokens: Tokens) {
    const refreshed = await refresh(api, tokens.refresh_token);
    expect([refreshed.status, refreshed.body.error]).toEqual([400, 'invalid_grant']);
    const me = await api.get('/v1/me', { token: tokens.access_token });
    expect(me.status).toBe(401);
    expect(me.headers.get('www-authenticate')).toMatch(/^Bearer/);
  }

  it.each<Encoding>(['form', 'JSON'])(
    'ends the session of a refresh token sent as %s',
    async (encoding) => {
      const { tokens } = await registerAndLogin(api);
      expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(200);

      const reply = await revoke(api, { token: tokens.refresh_token }, encoding);

      expect(reply.status).toBe(200);
      await expectSessionEnded(tokens);
    },
  );

  it.each<Encoding>(['form', 'JSON'])(
    'ends the session of an access token sent as %s',
    async (encoding) => {
      const { tokens } = await registerAndLogin(api);

      const reply = await revoke(api, { token: tokens.access_token }, encoding);

      expect(reply.status).toBe(200);
      await expectSessionEnded(tokens);
    },
  );

  it('accepts a token_type_hint and still ends the session', async () => {
    const { tokens } = await registerAndLogin(api);

    const reply = await revoke(
      api,
      { token: tokens.refresh_token, token_type_hint: 'refresh_token' },
      'form',
    );

    expect(reply.status).toBe(200);
    await expectSessionEnded(tokens);
  });

  it('ends only the presented session, not the other sessions of the same user', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const other = await api.post('/v1/auth/login', {
      email: account.email,
      password: account.password,
    });

    await revoke(api, { token: tokens.refresh_token }, 'form');

    expect((await api.get('/v1/me', { token: other.body.access_token })).status).toBe(200);
    expect((await refresh(api, other.body.refresh_token)).status).toBe(200);
  });

  it('records session.revoked for a real logout', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const sid = decodeJwt(tokens.access_token).sid as string;

    await revoke(api, { token: tokens.refresh_token }, 'form');

    const events = await app.db.query(
      `SELECT actor_id, subject_id, outcome, details FROM audit_events
       WHERE type = 'session.revoked' AND subject_id = $1`,
      [account.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_id: account.id, outcome: 'success' });
    expect(events[0].details).toMatchObject({ sessionId: sid, reason: 'logout' });
    expect(JSON.stringify(events)).not.toContain(tokens.refresh_token);
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['well-shaped but unknown', 'A'.repeat(43)],
    ['a forged JWT', 'eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.'],
    ['oversized (10 KB)', 'A'.repeat(10 * 1024)],
  ])('answers 200 to a token that is %s', async (_, token) => {
    const reply = await revoke(api, { token }, 'form');

    expect(reply.status).toBe(200);
  });

  it('answers 200 to an already revoked token and records no second revocation', async () => {
    const { account, tokens } = await registerAndLogin(api);
    await revoke(api, { token: tokens.refresh_token }, 'form');

    expect((await revoke(api, { token: tokens.refresh_token }, 'JSON')).status).toBe(200);
    expect((await revoke(api, { token: tokens.access_token }, 'form')).status).toBe(200);

    const events = await app.db.query(
      `SELECT 1 FROM audit_events WHERE type = 'session.revoked' AND subject_id = $1`,
      [account.id],
    );
    expect(events).toHaveLength(1);
  });

  it.each<Encoding>(['form', 'JSON'])(
    'answers invalid_request when token is missing (%s)',
    async (encoding) => {
      const reply = await revoke(api, { token_type_hint: 'refresh_token' }, encoding);

      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body).toEqual({
        error: 'invalid_request',
        error_description: expect.any(String),
      });
    },
  );

  it('refuses a repeated token parameter without ending either session', async () => {
    const first = await registerAndLogin(api);
    const second = await registerAndLogin(api);

    const reply = await api.post('/oauth/revoke', undefined, {
      raw: `token=${first.tokens.refresh_token}&token=${second.tokens.refresh_token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect([reply.status, reply.body.error]).toEqual([400, 'invalid_request']);
    expect((await api.get('/v1/me', { token: first.tokens.access_token })).status).toBe(200);
    expect((await api.get('/v1/me', { token: second.tokens.access_token })).status).toBe(200);
  });
});
