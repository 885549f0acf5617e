import { randomUUID } from 'node:crypto';
import { uniqueEmail } from './support/accounts';
import { auditByRequest } from './support/audit-queries';
import { creds } from './support/credentials';
import {
  expectRateLimited,
  expectRetryAfter,
  from,
  loginFrom,
  registerFromElsewhere,
  uniqueIp,
} from './support/rate-limits';
import { appForSuite } from './support/suite-app';

const LIMIT = 20;
const WINDOW = 60;

describe('the per-IP limit of the login routes (LOGIN_IP_LIMIT)', () => {
  const { app, api } = appForSuite({
    LOGIN_IP_LIMIT: `${LIMIT}/${WINDOW}`,
    TRUST_PROXY: '127.0.0.1',
  });

  /** Uses up an IP's window with requests the validation refuses (the limit counts them too). */
  async function useUp(ip: string, count = LIMIT) {
    for (let i = 0; i < count; i++) {
      const reply = await api.post('/v1/auth/login', {}, from(ip));
      expect(reply.status).toBe(400);
    }
  }

  it('answers the 21st login from one IP within the window with 429 and Retry-After', async () => {
    const account = await registerFromElsewhere(api);
    const ip = uniqueIp();
    for (let i = 0; i < LIMIT; i++) {
      expect((await loginFrom(api, ip, account.email)).status).toBe(401);
    }

    const reply = await api.post('/v1/auth/login', creds(account), from(ip));

    expectRateLimited(reply, WINDOW);
    expect(reply.text).not.toContain(account.email);
    expect(reply.body).not.toHaveProperty('access_token');
  });

  it('counts logins for different emails against the one IP', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < LIMIT; i++) {
      expect((await loginFrom(api, ip, uniqueEmail('spray'))).status).toBe(401);
    }

    expectRateLimited(await loginFrom(api, ip, uniqueEmail('spray')), WINDOW);
  });

  it('counts register, login, MFA and token requests in one window per IP', async () => {
    const ip = uniqueIp();
    await useUp(ip, LIMIT - 3);
    const register = await api.post('/v1/auth/register', {}, from(ip));
    const mfa = await api.post('/v1/auth/mfa', { mfa_token: 'x', code: '123456' }, from(ip));
    const token = await api.post('/oauth/token', undefined, {
      ...from(ip),
      form: { grant_type: 'refresh_token', refresh_token: 'not-a-token' },
    });
    expect([register.status, mfa.status, token.status]).toEqual([400, 401, 400]);

    expectRateLimited(await api.post('/v1/auth/register', {}, from(ip)), WINDOW);
    expectRateLimited(await loginFrom(api, ip, uniqueEmail()), WINDOW);
    expectRateLimited(
      await api.post('/v1/auth/mfa', { mfa_token: 'x', code: '123456' }, from(ip)),
      WINDOW,
    );
  });

  it('answers a limited /oauth/token as an RFC 6749 error with status 429 and Retry-After', async () => {
    const ip = uniqueIp();
    await useUp(ip);

    const reply = await api.post('/oauth/token', undefined, {
      ...from(ip),
      form: { grant_type: 'refresh_token', refresh_token: 'not-a-token' },
    });

    expect(reply.status).toBe(429);
    expect(reply.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    expectRetryAfter(reply, WINDOW);
  });

  it('keeps a separate window for each client IP behind the trusted proxy', async () => {
    const account = await registerFromElsewhere(api);
    const busy = uniqueIp();
    await useUp(busy);
    expectRateLimited(await api.post('/v1/auth/login', creds(account), from(busy)), WINDOW);

    const reply = await api.post('/v1/auth/login', creds(account), from(uniqueIp()));

    expect(reply.status).toBe(200);
  });

  it('records one rate_limited audit event per window, naming the limit and no email', async () => {
    const ip = uniqueIp();
    await useUp(ip);
    const requestId = randomUUID();
    const email = uniqueEmail('audited');

    await loginFrom(api, ip, email).then((reply) => expect(reply.status).toBe(429));
    const refused = await api.post(
      '/v1/auth/login',
      { email, password: 'x' },
      from(ip, { headers: { 'x-request-id': requestId } }),
    );
    expect(refused.status).toBe(429);

    const rows = await app.db.query(
      `SELECT type, details, ip FROM audit_events WHERE type = 'rate_limited' AND ip = $1`,
      [ip],
    );
    expect(rows).toEqual([{ type: 'rate_limited', details: { limit: 'login_ip' }, ip }]);
    expect(await auditByRequest(app, requestId)).toEqual([]);
    expect(JSON.stringify(rows)).not.toContain(email);
  });
});

describe('the per-IP limit without TRUST_PROXY', () => {
  const { api } = appForSuite({ LOGIN_IP_LIMIT: `3/${WINDOW}` });

  it('ignores X-Forwarded-For: different values share the socket address window', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await loginFrom(api, uniqueIp(), uniqueEmail())).status).toBe(401);
    }

    expectRateLimited(await loginFrom(api, uniqueIp(), uniqueEmail()), WINDOW);
  });
});
