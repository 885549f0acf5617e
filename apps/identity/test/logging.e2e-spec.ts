import { GOOD_PASSWORD, register } from './support/accounts';
import { Reply } from './support/http';
import { captureLogsForSuite } from './support/log-capture';
import { appForSuite } from './support/suite-app';

const NEW_PASSWORD = 'amber comets drift past 77 quiet lighthouses';

interface LogLine {
  msg?: string;
  reqId?: string;
  req?: { id?: string; method?: string; path?: string };
  res?: { statusCode?: number };
  [key: string]: unknown;
}

describe('what the service writes to its logs', () => {
  // Before appForSuite: its hooks run first, so the capture is in place before the app starts.
  const logs = captureLogsForSuite();
  const { app, api } = appForSuite({ LOG_LEVEL: 'info' });

  function lines(): LogLine[] {
    return logs.lines().map((line) => JSON.parse(line) as LogLine);
  }

  /** Every request a user makes on an ordinary day, failed login included. */
  async function aDayOfRequests() {
    const account = await register(api);
    const replies: Reply[] = [];
    const send = async (reply: Promise<Reply>) => {
      replies.push(await reply);
      return replies[replies.length - 1];
    };

    const login = await send(
      api.post('/v1/auth/login', { email: account.email, password: GOOD_PASSWORD }),
    );
    const wrong = await send(
      api.post(
        '/v1/auth/login',
        { email: account.email, password: `${GOOD_PASSWORD}?` },
        {
          headers: { 'x-request-id': 'failed-login-1' },
        },
      ),
    );
    const refreshed = await send(
      api.post('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: login.body.refresh_token,
      }),
    );
    const changed = await send(
      api.post(
        '/v1/me/password',
        { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD },
        { token: refreshed.body.access_token, headers: { 'x-request-id': 'change-password-1' } },
      ),
    );
    expect([login.status, wrong.status, refreshed.status, changed.status]).toEqual([
      200, 401, 200, 204,
    ]);

    const secrets = [
      GOOD_PASSWORD,
      `${GOOD_PASSWORD}?`,
      NEW_PASSWORD,
      login.body.access_token,
      login.body.refresh_token,
      refreshed.body.access_token,
      refreshed.body.refresh_token,
    ];
    return { replies, secrets };
  }

  it('logs no password, token, authorization header or password hash', async () => {
    const { secrets } = await aDayOfRequests();
    const rows: { hash: string }[] = await app.db.query(
      'SELECT password_hash AS hash FROM users WHERE password_hash IS NOT NULL',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(logs.text().length).toBeGreaterThan(0);

    const text = logs.text();
    for (const secret of [...secrets, ...rows.map((r) => r.hash)]) {
      expect(text).not.toContain(secret);
    }
    // Parts of a JWT are as telling as the whole.
    for (const token of [secrets[3], secrets[5]]) {
      for (const part of token.split('.')) expect(text).not.toContain(part);
    }
    expect(text).not.toContain('$2b$');
    expect(text).not.toMatch(/Bearer /);
  });

  it('writes a request line carrying the x-request-id of each response', async () => {
    const { replies } = await aDayOfRequests();
    const logged = lines();

    for (const reply of replies) {
      const id = reply.headers.get('x-request-id');
      expect(id).toBeTruthy();
      const line = logged.find((l) => l.req?.id === id && l.res?.statusCode !== undefined);
      expect(line?.res?.statusCode).toBe(reply.status);
    }
    expect(replies.map((reply) => reply.headers.get('x-request-id'))).toEqual(
      expect.arrayContaining(['failed-login-1', 'change-password-1']),
    );
  });

  it('ties the audit lines of a request to its request id', async () => {
    const { replies } = await aDayOfRequests();
    const logged = lines();
    const failed = replies.find((r) => r.headers.get('x-request-id') === 'failed-login-1');
    expect(failed?.status).toBe(401);

    const audit = logged.filter((l) => l.audit !== undefined);
    const types = (id: string) =>
      audit.filter((l) => l.reqId === id).map((l) => (l.audit as { type: string }).type);
    expect(types('failed-login-1')).toContain('login.failed');
    expect(types('change-password-1')).toContain('password.changed');
  });

  it('names the service on every line and the method and path on each request line', async () => {
    const { replies } = await aDayOfRequests();
    const logged = lines();

    expect(logged.length).toBeGreaterThan(replies.length);
    for (const line of logged) expect(line.service).toBe('tessera');
    const refreshLine = logged.find((l) => l.req?.path === '/oauth/token' && l.res);
    expect(refreshLine?.req).toMatchObject({ method: 'POST', path: '/oauth/token' });
  });
});
