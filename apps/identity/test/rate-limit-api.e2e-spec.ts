import { login, registerAndLogin } from './support/accounts';
import { expectProblem } from './support/problem-details';
import { expectRateLimited, from, uniqueIp } from './support/rate-limits';
import { appForSuite } from './support/suite-app';

const LIMIT = 3;
const WINDOW = 60;

describe('the per-caller limit of the API (API_RATE_LIMIT)', () => {
  const { app, api } = appForSuite({
    API_RATE_LIMIT: `${LIMIT}/${WINDOW}`,
    TRUST_PROXY: '127.0.0.1',
  });

  it('limits /v1/me per token subject, across its sessions, and not per IP', async () => {
    const alice = await registerAndLogin(api);
    const bob = await registerAndLogin(api);
    const ip = uniqueIp();
    for (let i = 0; i < LIMIT; i++) {
      expect((await api.get('/v1/me', from(ip, { token: alice.tokens.access_token }))).status).toBe(
        200,
      );
    }
    const secondSession = await login(api, alice.account);

    const fromElsewhere = from(uniqueIp(), { token: alice.tokens.access_token });
    expectRateLimited(await api.get('/v1/me', fromElsewhere), WINDOW);
    expectRateLimited(await api.get('/v1/me', { token: secondSession.access_token }), WINDOW);
    expect((await api.get('/v1/me', from(ip, { token: bob.tokens.access_token }))).status).toBe(
      200,
    );
  });

  it('limits callers without a valid token per IP, before authentication', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < LIMIT; i++) {
      expectProblem(await api.get('/v1/me', from(ip, { token: 'forged' })), 401, 'unauthenticated');
    }

    expectRateLimited(await api.get('/v1/me', from(ip, { token: 'forged' })), WINDOW);
    expectRateLimited(await api.get('/v1/me', from(ip)), WINDOW);
  });

  it('records a rate_limited audit event naming the api limit', async () => {
    const ip = uniqueIp();
    for (let i = 0; i <= LIMIT; i++) await api.get('/v1/me', from(ip));

    const rows = await app.db.query(
      `SELECT details FROM audit_events WHERE type = 'rate_limited' AND ip = $1`,
      [ip],
    );
    expect(rows).toEqual([{ details: { limit: 'api' } }]);
  });

  it.each([
    '/health/live',
    '/health/ready',
    '/.well-known/jwks.json',
    '/.well-known/openid-configuration',
  ])('never limits %s', async (path) => {
    const ip = uniqueIp();
    for (let i = 0; i < LIMIT * 3; i++) {
      const reply = await api.get(path, from(ip));
      expect({ status: reply.status, retryAfter: reply.headers.get('retry-after') }).toEqual({
        status: 200,
        retryAfter: null,
      });
    }
  });

  it('leaves the login routes to the per-IP login limit', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < LIMIT + 2; i++) {
      expect((await api.post('/v1/auth/login', {}, from(ip))).status).toBe(400);
    }
  });
});
