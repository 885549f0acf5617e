import { setTimeout as sleep } from 'node:timers/promises';
import { Client as PgClient } from 'pg';
import { registerAndLogin } from './support/accounts';
import { Reply } from './support/http';
import { appForSuite } from './support/suite-app';
import { E2E_DATABASE_URL, ON_POSTGRES } from './support/test-database';

describe('health endpoints', () => {
  const { api } = appForSuite();

  it.each(['/health/live', '/health/ready'])('answers 200 on %s without a token', async (path) => {
    const reply = await api.get(path);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok' });
  });
});

/** Runs `sql` as the superuser on the server's maintenance database. */
async function admin(sql: string): Promise<void> {
  const pg = new PgClient({ connectionString: E2E_DATABASE_URL });
  await pg.connect();
  try {
    await pg.query(sql);
  } finally {
    await pg.end();
  }
}

/** Asks until `done` holds, a few times with short pauses; returns the last reply. */
async function poll(ask: () => Promise<Reply>, done: (reply: Reply) => boolean): Promise<Reply> {
  let reply = await ask();
  for (let attempt = 0; attempt < 40 && !done(reply); attempt++) {
    await sleep(250);
    reply = await ask();
  }
  return reply;
}

// PGlite runs inside the process and cannot become unreachable; PostgreSQL can.
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('while PostgreSQL refuses connections', () => {
  let name: string;
  let token: string;

  // Declared before appForSuite's own afterAll (hooks run in order): connections are allowed
  // again before the app closes.
  afterAll(async () => {
    await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
  });

  const { app, api } = appForSuite();

  beforeAll(async () => {
    name = new URL(app.env.DATABASE_URL).pathname.slice(1);
    token = (await registerAndLogin(api)).tokens.access_token;
  });

  async function cutOff(): Promise<void> {
    await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
  }

  it('reports not ready with 503 and Retry-After, and recovers without a restart', async () => {
    await cutOff();
    try {
      const down = await poll(
        () => api.get('/health/ready'),
        (reply) => reply.status !== 200,
      );
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(down.body.code).toBe('unavailable');
      expect((await api.get('/health/live')).status).toBe(200);
    } finally {
      await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
    }

    const up = await poll(
      () => api.get('/health/ready'),
      (reply) => reply.status === 200,
    );
    expect(up.status).toBe(200);
    expect((await api.get('/v1/me', { token })).status).toBe(200);
  });

  it('answers an authenticated request with 503 and Retry-After and leaks nothing', async () => {
    await cutOff();
    try {
      const reply = await api.get('/v1/me', { token });
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(reply.body.code).toBe('unavailable');
      expect(reply.text).not.toMatch(/postgres|connection|terminat|ECONN|QueryFailedError|\bat /i);
      expect(reply.text).not.toContain(name);

      const refresh = await api.post('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: 'x'.repeat(43),
      });
      expect(refresh.status).toBe(503);
      expect(refresh.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refresh.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: expect.any(String),
      });
      expect(refresh.body.access_token).toBeUndefined();
    } finally {
      await admin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
    }
  });
});
