import { randomBytes } from 'node:crypto';
import { register, login } from './support/accounts';
import { client } from './support/http';
import { from, uniqueIp, WRONG_PASSWORD } from './support/rate-limits';
import { appForSuite } from './support/suite-app';
import { freePort } from './support/test-app';

/** The value of one sample line, e.g. `tessera_logins_total{outcome="failure",factors="pwd"}`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('the /metrics endpoint', () => {
  const { api } = appForSuite({ TRUST_PROXY: '127.0.0.1' });
  const scrape = async () => (await api.get('/metrics')).text;

  it('serves Prometheus text without authentication', async () => {
    const reply = await api.get('/metrics');

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(reply.text).toContain('# TYPE tessera_http_request_duration_seconds histogram');
    expect(reply.text).toContain('process_cpu_user_seconds_total');
  });

  it('counts login outcomes, issued tokens and refreshes', async () => {
    const before = await scrape();
    const account = await register(api);
    await api.post('/v1/auth/login', { email: account.email, password: WRONG_PASSWORD });
    const tokens = await login(api, account);
    await api.post('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });

    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('tessera_logins_total{outcome="failure",factors="pwd"}')).toBe(1);
    expect(delta('tessera_logins_total{outcome="success",factors="pwd"}')).toBe(1);
    expect(delta('tessera_tokens_issued_total{grant="password"}')).toBe(1);
    expect(delta('tessera_tokens_issued_total{grant="refresh_token"}')).toBe(1);
  });

  it('labels latency by route template and never by an id, email or address', async () => {
    const account = await register(api);
    const tokens = await login(api, account);
    const secretPath = `/no/such/${randomBytes(6).toString('hex')}`;
    await api.get('/v1/me', { token: tokens.access_token });
    await api.get(secretPath);
    const ip = uniqueIp();
    await api.post('/v1/auth/login', { email: account.email, password: 'nope' }, from(ip));

    const text = await scrape();
    expect(text).toMatch(
      /tessera_http_request_duration_seconds_count\{method="GET",route="\/v1\/me",status="2xx"\} \d+/,
    );
    expect(text).toMatch(/route="unmatched",status="4xx"/);
    for (const leak of [secretPath, account.email, account.id, ip, tokens.access_token]) {
      expect(text).not.toContain(leak);
    }
  });
});

describe('the live-sessions gauge', () => {
  const { app, api } = appForSuite();

  it('reports the number of live sessions', async () => {
    const account = await register(api);
    await login(api, account);

    // The first scrape of this app: the count is read at most every 15 s.
    const live = sample((await api.get('/metrics')).text, 'tessera_active_sessions');

    const [{ n }] = await app.db.query(
      `SELECT count(*)::int AS n FROM sessions WHERE revoked_at IS NULL AND expires_at > now()`,
    );
    expect(live).toBe(n);
    expect(live).toBeGreaterThan(0);
  });
});

describe('rate-limit metrics', () => {
  const { api } = appForSuite({ TRUST_PROXY: '127.0.0.1', LOGIN_IP_LIMIT: '3/60' });
  const scrape = async () => (await api.get('/metrics')).text;

  it('counts every request a rate limit refuses, by limit', async () => {
    const ip = uniqueIp();
    const before = sample(await scrape(), 'tessera_rate_limited_total{limit="login_ip"}');
    for (let i = 0; i < 5; i += 1) {
      await api.post('/v1/auth/login', { email: 'x@example.com', password: 'y' }, from(ip));
    }

    const after = sample(await scrape(), 'tessera_rate_limited_total{limit="login_ip"}');
    expect(after - before).toBe(2);
  });
});

describe('metrics on a port of their own', () => {
  let metricsPort = 0;
  const env: Record<string, string> = {};
  beforeAll(async () => {
    metricsPort = await freePort();
    env.METRICS_PORT = String(metricsPort);
  });
  const { api } = appForSuite(env);

  it('serves /metrics there and not on the main port', async () => {
    const side = client(`http://127.0.0.1:${metricsPort}`);

    expect((await api.get('/metrics')).status).toBe(404);
    const reply = await side.get('/metrics');
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('tessera_http_request_duration_seconds');
    expect((await side.get('/v1/me')).status).toBe(404);
  });
});
