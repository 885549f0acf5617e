import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { login, registerAndLogin } from './support/accounts';
import { client } from './support/http';
import { ON_POSTGRES, TestDatabase } from './support/test-database';
import { createTestDatabase, startApp, TestApp } from './support/test-app';

// The embedded database's own concerns: its folder survives restarts and only one process may
// hold it. On PostgreSQL there is no DATA_DIR lock and restarts are covered by other suites.
const DEAD_PID = 999999;
const describeOnPglite = ON_POSTGRES ? describe.skip : describe;

describeOnPglite('the embedded database in DATA_DIR', () => {
  const running: TestApp[] = [];
  const databases: TestDatabase[] = [];

  async function freshDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  }

  async function start(env: Record<string, string>, database: TestDatabase): Promise<TestApp> {
    const app = await startApp(env, database);
    running.push(app);
    return app;
  }

  afterEach(async () => {
    for (const app of running.splice(0)) await app.stop();
    for (const database of databases.splice(0)) await database.drop();
  });

  it('keeps users, sessions, tokens and the signing key across a restart', async () => {
    const database = await freshDatabase();
    const first = await start({}, database);
    const api = client(first.url);
    const { account, tokens } = await registerAndLogin(api);
    const kid = (await api.get('/.well-known/jwks.json')).body.keys[0].kid;
    await first.stop();

    // The same issuer as before, so that the earlier access token is still ours.
    const second = await start({ ISSUER: first.config.issuer }, database);
    const again = client(second.url);
    const jwks = await again.get('/.well-known/jwks.json');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([kid]);

    const me = await again.get('/v1/me', { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(account.id);

    const refreshed = await again.post('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);

    const relogged = await login(again, account);
    expect(relogged.access_token).toEqual(expect.any(String));
  });

  it('refuses a second process on the same DATA_DIR while the first one runs', async () => {
    const database = await freshDatabase();
    const first = await start({}, database);
    const api = client(first.url);
    const { tokens } = await registerAndLogin(api);

    await expect(startApp({}, database)).rejects.toThrow(/DATA_DIR .* in use/);

    const me = await api.get('/v1/me', { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect((await api.get('/health/ready')).status).toBe(200);

    await first.stop();
    const second = await start({}, database);
    expect((await client(second.url).get('/health/ready')).status).toBe(200);
  });

  it('takes over a lock file left by a process that has died', async () => {
    const database = await freshDatabase();
    expect(() => process.kill(DEAD_PID, 0)).toThrow();
    writeFileSync(join(database.env.DATA_DIR, 'tessera.lock'), String(DEAD_PID));
    const app = await start({}, database);
    const api = client(app.url);
    expect((await api.get('/health/ready')).status).toBe(200);
    await registerAndLogin(api);
  });
});
