import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { registerAndLogin, type Tokens } from './support/accounts';
import type { Client, Reply } from './support/http';
import { appForSuite } from './support/suite-app';

// Booting an app (a new signing key for each fresh database) can take longer than Jest's 5 s.

type Encoding = 'form' | 'JSON';

function refresh(api: Client, refreshToken: string, encoding: Encoding = 'form'): Promise<Reply> {
  const params = { grant_type: 'refresh_token', refresh_token: refreshToken };
  return encoding === 'form'
    ? api.post('/oauth/token', undefined, { form: params })
    : api.post('/oauth/token', params);
}

function sessionIdOf(tokens: Tokens): string {
  return decodeJwt(tokens.access_token).sid as string;
}

/** An RFC 6749 §5.2 error: plain JSON with exactly `error` and `error_description`. */
function expectOAuthError(reply: Reply, status: number, error: string) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(reply.body).sort()).toEqual(['error', 'error_description']);
  expect(reply.body.error).toBe(error);
  expect(typeof reply.body.error_description).toBe('string');
}

describe('refreshing a session at POST /oauth/token', () => {
  const { app, api } = appForSuite({ LOGIN_IP_LIMIT: '1000/60' });

  it.each<Encoding>(['form', 'JSON'])(
    'rotates the refresh token when sent as %s',
    async (encoding) => {
      const { account, tokens } = await registerAndLogin(api);

      const reply = await refresh(api, tokens.refresh_token, encoding);

      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      expect(reply.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(reply.body.refresh_token).not.toBe(tokens.refresh_token);
      expect(decodeJwt(reply.body.access_token)).toMatchObject({
        sub: account.id,
        sid: sessionIdOf(tokens),
      });
      expect((await api.get('/v1/me', { token: reply.body.access_token })).status).toBe(200);
      const [old] = await app.db.query('SELECT used_at FROM refresh_tokens WHERE token_hash = $1', [
        sha256(tokens.refresh_token),
      ]);
      expect(old.used_at).not.toBeNull();
    },
  );

  it('stores refresh tokens only as SHA-256 hashes', async () => {
    const { tokens } = await registerAndLogin(api);
    const next = (await refresh(api, tokens.refresh_token)).body.refresh_token as string;

    const rows = await app.db.query('SELECT * FROM refresh_tokens WHERE session_id = $1', [
      sessionIdOf(tokens),
    ]);

    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows);
    for (const plaintext of [tokens.refresh_token, next]) {
      expect(stored).not.toContain(plaintext);
      expect(rows.map((row: { token_hash: string }) => row.token_hash)).toContain(
        sha256(plaintext),
      );
    }
  });

  it('revokes the whole session when a retired refresh token is presented', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const rotated = (await refresh(api, tokens.refresh_token)).body as Tokens;

    expectOAuthError(await refresh(api, tokens.refresh_token), 400, 'invalid_grant');

    expectOAuthError(await refresh(api, rotated.refresh_token), 400, 'invalid_grant');
    for (const accessToken of [tokens.access_token, rotated.access_token]) {
      expect((await api.get('/v1/me', { token: accessToken })).status).toBe(401);
    }
    const [session] = await app.db.query('SELECT revoked_at FROM sessions WHERE id = $1', [
      sessionIdOf(tokens),
    ]);
    expect(session.revoked_at).not.toBeNull();
    const events = await app.db.query(
      `SELECT * FROM audit_events WHERE type = 'token.reuse_detected' AND subject_id = $1`,
      [account.id],
    );
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(tokens.refresh_token);
  });

  it.each([
    ['garbage', 'not-a-refresh-token'],
    ['empty', ''],
    ['well-shaped but unknown', 'A'.repeat(43)],
    ['oversized (10 KB)', 'A'.repeat(10 * 1024)],
  ])('answers invalid_grant to a refresh token that is %s', async (_, refreshToken) => {
    expectOAuthError(await refresh(api, refreshToken), 400, 'invalid_grant');
    expectOAuthError(await refresh(api, refreshToken, 'JSON'), 400, 'invalid_grant');
  });

  it.each([
    ['invalid_request', 'grant_type is missing', { refresh_token: 'x' }],
    ['invalid_request', 'refresh_token is missing', { grant_type: 'refresh_token' }],
    ['unsupported_grant_type', 'the grant type is unknown', { grant_type: 'password' }],
  ])('answers %s when %s', async (error, _, form) => {
    expectOAuthError(await api.post('/oauth/token', undefined, { form }), 400, error);
    expectOAuthError(await api.post('/oauth/token', form), 400, error);
  });

  it('refuses a repeated parameter with invalid_request', async () => {
    const { tokens } = await registerAndLogin(api);
    const raw = `grant_type=refresh_token&refresh_token=${tokens.refresh_token}&refresh_token=b`;

    const reply = await api.post('/oauth/token', undefined, {
      raw,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expectOAuthError(reply, 400, 'invalid_request');
    expect((await refresh(api, tokens.refresh_token)).status).toBe(200);
  });

  it('answers malformed JSON with an OAuth error, not problem details', async () => {
    const reply = await api.post('/oauth/token', undefined, {
      raw: '{"grant_type": "refresh_token",',
      headers: { 'content-type': 'application/json' },
    });

    expectOAuthError(reply, 400, 'invalid_request');
  });
});

describe('when a session ends on its own', () => {
  const idleSeconds = 3600;
  const { app, api } = appForSuite({
    SESSION_IDLE_TTL: String(idleSeconds),
    LOGIN_IP_LIMIT: '1000/60',
  });

  async function moveLastRefresh(tokens: Tokens, secondsAgo: number) {
    await app.db.query(
      `UPDATE sessions SET last_refreshed_at = now() - make_interval(secs => $2) WHERE id = $1`,
      [sessionIdOf(tokens), secondsAgo],
    );
  }

  it('refreshes a session idle for less than SESSION_IDLE_TTL', async () => {
    const { tokens } = await registerAndLogin(api);
    await moveLastRefresh(tokens, idleSeconds - 60);

    expect((await refresh(api, tokens.refresh_token)).status).toBe(200);
  });

  it('refuses to refresh a session idle for longer than SESSION_IDLE_TTL', async () => {
    const { tokens } = await registerAndLogin(api);
    await moveLastRefresh(tokens, idleSeconds + 60);

    expectOAuthError(await refresh(api, tokens.refresh_token), 400, 'invalid_grant');
    expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(401);
  });

  it('refuses to refresh a session past its absolute lifetime', async () => {
    const { tokens } = await registerAndLogin(api);
    await app.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [sessionIdOf(tokens)],
    );

    expectOAuthError(await refresh(api, tokens.refresh_token), 400, 'invalid_grant');
  });

  it('refuses to refresh the session of a user disabled after login', async () => {
    const { account, tokens } = await registerAndLogin(api);
    await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [account.id]);

    expectOAuthError(await refresh(api, tokens.refresh_token), 400, 'invalid_grant');
    expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(401);
  });

  it('drops a role removed from the user from the next refreshed access token', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const role = `auditor-${account.id.slice(0, 8)}`;
    await app.db.query(`INSERT INTO roles (name) VALUES ($1)`, [role]);
    await app.db.query(
      `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = $2`,
      [account.id, role],
    );
    const granted = (await refresh(api, tokens.refresh_token)).body as Tokens;
    expect(decodeJwt(granted.access_token).roles).toEqual(expect.arrayContaining([role, 'user']));

    await app.db.query(
      `DELETE FROM user_roles
       WHERE user_id = $1 AND role_id = (SELECT id FROM roles WHERE name = $2)`,
      [account.id, role],
    );
    const reply = await refresh(api, granted.refresh_token);

    expect(reply.status).toBe(200);
    expect(decodeJwt(reply.body.access_token).roles).toEqual(['user']);
  });
});

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}
