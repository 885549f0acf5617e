import { randomUUID } from 'node:crypto';
import * as bcrypt from 'bcrypt';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { bcryptHash } from '../src/passwords/bcrypt-scheme';
import { GOOD_PASSWORD, login, register, uniqueEmail } from './support/accounts';
import { client, Client, Reply } from './support/http';
import { createTestDatabase, startApp, TestApp } from './support/test-app';

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Tessera's own bcrypt form at the test cost (BCRYPT_COST=10 in startApp). */
const CURRENT_BCRYPT = /^\$bcrypt-sha256\$\$2b\$10\$[./A-Za-z0-9]{53}$/;
const ARGON2ID = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

/** The login body of an account (its id would be an unknown field). */
function creds(account: { email: string; password: string }) {
  return { email: account.email, password: account.password };
}

async function storedHash(app: TestApp, userId: string): Promise<string> {
  const [row] = await app.db.query('SELECT password_hash FROM users WHERE id = $1', [userId]);
  return row.password_hash;
}

async function auditByRequest(app: TestApp, requestId: string) {
  return app.db.query('SELECT * FROM audit_events WHERE request_id = $1 ORDER BY at', [requestId]);
}

describe('POST /v1/auth/login', () => {
  let app: TestApp;
  let api: Client;

  beforeAll(async () => {
    app = await startApp();
    api = client(app.url);
  });

  afterAll(async () => {
    await app?.close();
  });

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

  describe('audit trail', () => {
    it('stores login.succeeded and login.failed, with no password in them', async () => {
      const account = await register(api);
      const wrongPassword = 'a wrong but memorable password';

      const failedId = `login-failed-${randomUUID()}`;
      await api.post(
        '/v1/auth/login',
        { email: account.email, password: wrongPassword },
        { headers: { 'x-request-id': failedId, 'user-agent': 'login-e2e/1.0' } },
      );
      const unknownId = `login-unknown-${randomUUID()}`;
      await api.post(
        '/v1/auth/login',
        { email: uniqueEmail('ghost'), password: wrongPassword },
        { headers: { 'x-request-id': unknownId } },
      );
      const okId = `login-ok-${randomUUID()}`;
      const ok = await api.post(
        '/v1/auth/login',
        { email: account.email, password: account.password },
        { headers: { 'x-request-id': okId, 'user-agent': 'login-e2e/1.0' } },
      );
      expect(ok.status).toBe(200);

      const failed = await auditByRequest(app, failedId);
      expect(failed).toEqual([
        expect.objectContaining({
          type: 'login.failed',
          outcome: 'failure',
          subject_id: account.id,
          ip: '127.0.0.1',
          user_agent: 'login-e2e/1.0',
          details: expect.objectContaining({ reason: 'wrong_password' }),
        }),
      ]);

      const unknown = await auditByRequest(app, unknownId);
      expect(unknown).toEqual([
        expect.objectContaining({
          type: 'login.failed',
          outcome: 'failure',
          subject_id: null,
          details: expect.objectContaining({ reason: 'unknown_account' }),
        }),
      ]);

      const succeeded = await auditByRequest(app, okId);
      expect(succeeded).toEqual([
        expect.objectContaining({
          type: 'login.succeeded',
          outcome: 'success',
          actor_id: account.id,
          subject_id: account.id,
          user_agent: 'login-e2e/1.0',
          details: expect.objectContaining({
            sessionId: decodeJwt(ok.body.access_token).sid,
          }),
        }),
      ]);

      // Nothing secret anywhere in the trail: not either password, not a token, not a hash.
      const everything = JSON.stringify(await app.db.query('SELECT * FROM audit_events'));
      expect(everything).not.toContain(wrongPassword);
      expect(everything).not.toContain(account.password);
      expect(everything).not.toContain(ok.body.refresh_token);
      expect(everything).not.toContain(ok.body.access_token);
      expect(everything).not.toContain(await storedHash(app, account.id));
      expect(everything).not.toMatch(/\$bcrypt-sha256\$|\$argon2|\$2[aby]\$/);
    });

    it('records a disabled user\u2019s attempt as login.failed', async () => {
      const account = await register(api);
      await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [account.id]);
      const requestId = `login-disabled-${randomUUID()}`;
      await api.post('/v1/auth/login', creds(account), { headers: { 'x-request-id': requestId } });
      expect(await auditByRequest(app, requestId)).toEqual([
        expect.objectContaining({
          type: 'login.failed',
          outcome: 'failure',
          subject_id: account.id,
        }),
      ]);
    });
  });

  describe('rehashing on login', () => {
    /** Sets the stored hash, logs in, and returns the hash stored afterwards. */
    async function loginWithStoredHash(
      userId: string,
      email: string,
      password: string,
      hash: string,
    ) {
      await app.db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, hash]);
      const requestId = `rehash-${randomUUID()}`;
      const reply = await api.post(
        '/v1/auth/login',
        { email, password },
        { headers: { 'x-request-id': requestId } },
      );
      expect(reply.status).toBe(200);
      const [event] = await auditByRequest(app, requestId);
      return { after: await storedHash(app, userId), rehashed: event.details.rehashed };
    }

    it.each([
      [
        'Tessera bcrypt of cost 11',
        (p: string) => bcryptHash(p, 11),
        /^\$bcrypt-sha256\$\$2b\$11\$/,
      ],
      ['plain imported $2b$ bcrypt', (p: string) => bcrypt.hash(p, 10), /^\$2b\$10\$/],
      [
        'plain imported $2a$ bcrypt of cost 11',
        async (p: string) => (await bcrypt.hash(p, 11)).replace(/^\$2b\$/, '$2a$'),
        /^\$2a\$11\$/,
      ],
    ])('replaces %s with the configured bcrypt and still logs in', async (_, make, shape) => {
      const account = await register(api);
      const old = await make(account.password);
      expect(old).toMatch(shape);

      const first = await loginWithStoredHash(account.id, account.email, account.password, old);
      expect(first.rehashed).toBe(true);
      expect(first.after).not.toBe(old);
      expect(first.after).toMatch(CURRENT_BCRYPT);

      // The new hash is current: the next login keeps it, and the password still works.
      const second = await api.post('/v1/auth/login', creds(account));
      expect(second.status).toBe(200);
      expect(await storedHash(app, account.id)).toBe(first.after);
      // A wrong password is still refused against the new hash.
      expectProblem(
        await api.post('/v1/auth/login', { email: account.email, password: 'wrong wrong wrong' }),
        401,
        'invalid_credentials',
      );
    });

    it('does not rehash on a wrong password', async () => {
      const account = await register(api);
      const old = await bcryptHash(account.password, 11);
      await app.db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [account.id, old]);
      const reply = await api.post('/v1/auth/login', {
        email: account.email,
        password: 'wrong wrong wrong',
      });
      expectProblem(reply, 401, 'invalid_credentials');
      expect(await storedHash(app, account.id)).toBe(old);
    });

    it('keeps a current hash as it is', async () => {
      const account = await register(api);
      const before = await storedHash(app, account.id);
      expect(before).toMatch(CURRENT_BCRYPT);
      const { after, rehashed } = await loginWithStoredHash(
        account.id,
        account.email,
        account.password,
        before,
      );
      expect(rehashed).toBe(false);
      expect(after).toBe(before);
    });
  });
});

describe('POST /v1/auth/login across a change of PASSWORD_HASH', () => {
  it('moves an argon2id hash to bcrypt on login after a restart, and back again', async () => {
    const database = await createTestDatabase();
    const email = uniqueEmail('migrate');
    const password = 'hashes change but passwords stay';
    let userId: string;
    try {
      const argon = await startApp({ PASSWORD_HASH: 'argon2id' }, database);
      try {
        const api = client(argon.url);
        userId = (await register(api, email, password)).id;
        const made = await storedHash(argon, userId);
        expect(made).toMatch(ARGON2ID);
        await login(api, { email, password });
        expect(await storedHash(argon, userId)).toBe(made); // current: not rehashed
      } finally {
        await argon.stop();
      }

      const bcryptApp = await startApp({ PASSWORD_HASH: 'bcrypt' }, database);
      try {
        const api = client(bcryptApp.url);
        expect(await storedHash(bcryptApp, userId)).toMatch(ARGON2ID);
        expectProblem(
          await api.post('/v1/auth/login', { email, password: 'not it, not it at all' }),
          401,
          'invalid_credentials',
        );
        expect(await storedHash(bcryptApp, userId)).toMatch(ARGON2ID);

        const tokens = await login(api, { email, password });
        expect(decodeJwt(tokens.access_token).sub).toBe(userId);
        const rehashed = await storedHash(bcryptApp, userId);
        expect(rehashed).toMatch(CURRENT_BCRYPT);
        await login(api, { email, password });
        expect(await storedHash(bcryptApp, userId)).toBe(rehashed);
      } finally {
        await bcryptApp.stop();
      }

      const argonAgain = await startApp({ PASSWORD_HASH: 'argon2id' }, database);
      try {
        const api = client(argonAgain.url);
        await login(api, { email, password });
        expect(await storedHash(argonAgain, userId)).toMatch(ARGON2ID);
      } finally {
        await argonAgain.stop();
      }
    } finally {
      await database.drop();
    }
  });
});
