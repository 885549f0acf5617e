import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { login, register, Tokens } from './support/accounts';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { storedHash } from './support/user-queries';

const NEW_PASSWORD = 'a fresh and rather long passphrase';

describe('POST /v1/me/password', () => {
  const { app, api } = appForSuite();

  const loginReply = (email: string, password: string) =>
    api.post('/v1/auth/login', { email, password });

  const refresh = (token: Tokens) =>
    api.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: token.refresh_token });

  async function liveSessionIds(userId: string): Promise<string[]> {
    const rows: { id: string }[] = await app.db.query(
      'SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id',
      [userId],
    );
    return rows.map((r) => r.id);
  }

  /** A user with a current session (the one that changes the password) and two others. */
  async function userWithThreeSessions() {
    const account = await register(api);
    const current = await login(api, account);
    const other = await login(api, account);
    const third = await login(api, account);
    return { account, current, other, third };
  }

  it('answers 204, swaps the passwords, and ends every other session but the current one', async () => {
    const { account, current, other, third } = await userWithThreeSessions();
    const hashBefore = await storedHash(app, account.id);

    const reply = await api.post(
      '/v1/me/password',
      { currentPassword: account.password, newPassword: NEW_PASSWORD },
      { token: current.access_token },
    );
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');

    // The stored hash changed and is of the new password only.
    const hashAfter = await storedHash(app, account.id);
    expect(hashAfter).not.toBe(hashBefore);
    expect(hashAfter).toMatch(/^\$bcrypt-sha256\$\$2b\$10\$/);

    // The old password stops working; the new one works.
    expectProblem(await loginReply(account.email, account.password), 401, 'invalid_credentials');
    expect((await loginReply(account.email, NEW_PASSWORD)).status).toBe(200);

    // Every other session is revoked: refresh tokens give invalid_grant, access tokens 401.
    for (const tokens of [other, third]) {
      const refreshed = await refresh(tokens);
      expect({ status: refreshed.status, error: refreshed.body?.error }).toEqual({
        status: 400,
        error: 'invalid_grant',
      });
      const me = await api.get('/v1/me', { token: tokens.access_token });
      expectProblem(me, 401, 'unauthenticated');
      expect(me.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    }
    const rows = await app.db.query(
      'SELECT id, revoke_reason FROM sessions WHERE user_id = $1 AND revoked_at IS NOT NULL',
      [account.id],
    );
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual(
      [decodeJwt(other.access_token).sid, decodeJwt(third.access_token).sid].sort(),
    );
    for (const row of rows) expect(row.revoke_reason).toBe('password_changed');

    // The current session keeps working, with its access token and its refresh token.
    expect((await api.get('/v1/me', { token: current.access_token })).status).toBe(200);
    const renewed = await refresh(current);
    expect(renewed.status).toBe(200);
    expect(decodeJwt(renewed.body.access_token).sid).toBe(decodeJwt(current.access_token).sid);
    expect((await api.get('/v1/me', { token: renewed.body.access_token })).status).toBe(200);
  });

  it('records password.changed in the audit trail, without either password', async () => {
    const { account, current } = await userWithThreeSessions();
    const requestId = `pw-change-${randomUUID()}`;
    const reply = await api.post(
      '/v1/me/password',
      { currentPassword: account.password, newPassword: NEW_PASSWORD },
      { token: current.access_token, headers: { 'x-request-id': requestId } },
    );
    expect(reply.status).toBe(204);

    const rows = await app.db.query('SELECT * FROM audit_events WHERE request_id = $1', [
      requestId,
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        type: 'password.changed',
        outcome: 'success',
        actor_id: account.id,
        subject_id: account.id,
        details: expect.objectContaining({ sessionsRevoked: 2 }),
      }),
    ]);
    const everything = JSON.stringify(
      await app.db.query('SELECT * FROM audit_events WHERE subject_id = $1', [account.id]),
    );
    expect(everything).not.toContain(account.password);
    expect(everything).not.toContain(NEW_PASSWORD);
    expect(everything).not.toContain(await storedHash(app, account.id));
  });

  it('answers 403 invalid_credentials for a wrong current password and changes nothing', async () => {
    const { account, current, other } = await userWithThreeSessions();
    const hashBefore = await storedHash(app, account.id);
    const sessionsBefore = await liveSessionIds(account.id);
    const requestId = `pw-wrong-${randomUUID()}`;

    const reply = await api.post(
      '/v1/me/password',
      { currentPassword: 'this is not my password', newPassword: NEW_PASSWORD },
      { token: current.access_token, headers: { 'x-request-id': requestId } },
    );
    expectProblem(reply, 403, 'invalid_credentials');
    expect(reply.text).not.toContain(NEW_PASSWORD);

    expect(await storedHash(app, account.id)).toBe(hashBefore);
    expect(await liveSessionIds(account.id)).toEqual(sessionsBefore);
    expect((await loginReply(account.email, account.password)).status).toBe(200);
    expectProblem(await loginReply(account.email, NEW_PASSWORD), 401, 'invalid_credentials');
    expect((await api.get('/v1/me', { token: other.access_token })).status).toBe(200);
    expect((await refresh(other)).status).toBe(200);

    const audit = await app.db.query('SELECT * FROM audit_events WHERE request_id = $1', [
      requestId,
    ]);
    expect(audit).toEqual([
      expect.objectContaining({ type: 'password.change_failed', outcome: 'failure' }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('this is not my password');
  });

  it.each([
    ['too short', 'short one'],
    ['common', '1qaz2wsx3edc4rfv'],
    ['repetitive', 'abcdabcdabcdabcdabcd'],
    ['too long', 'x1y2z3'.repeat(22)],
    ['with a NUL byte', 'a fresh and rather\u0000long passphrase'],
    ['over the request limit', 'q'.repeat(2000)],
  ])(
    'answers 400 on field newPassword for a %s new password and changes nothing',
    async (_, weak) => {
      const { account, current, other } = await userWithThreeSessions();
      const hashBefore = await storedHash(app, account.id);
      const sessionsBefore = await liveSessionIds(account.id);

      const reply = await api.post(
        '/v1/me/password',
        { currentPassword: account.password, newPassword: weak },
        { token: current.access_token },
      );
      expectProblem(reply, 400, 'validation_failed');
      expect(reply.body.errors).toEqual(expect.arrayContaining([expect.anything()]));
      for (const error of reply.body.errors) expect(error.field).toBe('newPassword');

      expect(await storedHash(app, account.id)).toBe(hashBefore);
      expect(await liveSessionIds(account.id)).toEqual(sessionsBefore);
      expect((await loginReply(account.email, account.password)).status).toBe(200);
      expect((await api.get('/v1/me', { token: other.access_token })).status).toBe(200);
    },
  );

  it('checks the current password against the latest change, and can change it back', async () => {
    const account = await register(api);
    const tokens = await login(api, account);
    const change = (currentPassword: string, newPassword: string) =>
      api.post('/v1/me/password', { currentPassword, newPassword }, { token: tokens.access_token });

    expect((await change(account.password, NEW_PASSWORD)).status).toBe(204);
    // The first password is no longer the current one.
    expectProblem(await change(account.password, NEW_PASSWORD), 403, 'invalid_credentials');
    expect((await change(NEW_PASSWORD, account.password)).status).toBe(204);
    expect((await loginReply(account.email, account.password)).status).toBe(200);
  });

  it('refuses missing fields, extra fields and a missing token', async () => {
    const account = await register(api);
    const tokens = await login(api, account);
    for (const body of [
      { newPassword: NEW_PASSWORD },
      { currentPassword: account.password },
      { currentPassword: account.password, newPassword: NEW_PASSWORD, userId: randomUUID() },
      { currentPassword: account.password, newPassword: 12345678901234567 },
    ]) {
      expectProblem(
        await api.post('/v1/me/password', body, { token: tokens.access_token }),
        400,
        'validation_failed',
      );
    }
    const anonymous = await api.post('/v1/me/password', {
      currentPassword: account.password,
      newPassword: NEW_PASSWORD,
    });
    expectProblem(anonymous, 401, 'unauthenticated');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect((await loginReply(account.email, account.password)).status).toBe(200);
  });

  it('cannot be called with the access token of a revoked session', async () => {
    const account = await register(api);
    const tokens = await login(api, account);
    expect((await api.post('/oauth/revoke', { token: tokens.refresh_token })).status).toBe(200);
    const reply = await api.post(
      '/v1/me/password',
      { currentPassword: account.password, newPassword: NEW_PASSWORD },
      { token: tokens.access_token },
    );
    expectProblem(reply, 401, 'unauthenticated');
    expect((await loginReply(account.email, account.password)).status).toBe(200);
  });
});
