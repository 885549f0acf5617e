import { login, register } from '../apps/identity/test/support/accounts';
import { client } from '../apps/identity/test/support/http';
import {
  CAN_RUN_SCRATCH_CLUSTER,
  createScratchCluster,
} from '../apps/identity/test/support/scratch-cluster';
import { freePort, startApp, type TestApp } from '../apps/identity/test/support/test-app';
import { ON_POSTGRES } from '../apps/identity/test/support/test-database';

// Needs the machine's PostgreSQL programs; CI runs it with the PostgreSQL suite.
const describeWithCluster = ON_POSTGRES && CAN_RUN_SCRATCH_CLUSTER ? describe : describe.skip;

describeWithCluster('PostgreSQL stopped and restarted under the running service', () => {
  let cluster: ReturnType<typeof createScratchCluster>;
  let app: TestApp;
  const api = () => client(app.url);

  beforeAll(async () => {
    cluster = createScratchCluster(await freePort());
    cluster.start();
    app = await startApp({}, cluster.database());
  });

  afterAll(async () => {
    // close() drops only a database the app made itself; this cluster is the test's to remove.
    await app?.close();
    cluster?.remove();
  });

  it('answers 503 with Retry-After while the database is down, and recovers by itself', async () => {
    const account = await register(api());
    const tokens = await login(api(), account);

    cluster.stop();

    const ready = await api().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);

    const loginReply = await api().post('/v1/auth/login', {
      email: account.email,
      password: account.password,
    });
    expect(loginReply.status).toBe(503);
    expect(loginReply.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(loginReply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(loginReply.text).not.toMatch(/access_token|ECONNREFUSED|postgres|stack/i);

    // A valid token cannot be trusted without its session: no 200, and no 401 either.
    const me = await api().get('/v1/me', { token: tokens.access_token });
    expect(me.status).toBe(503);

    const refresh = await api().post('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refresh.status).toBe(503);
    expect(refresh.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refresh.text).not.toContain('access_token');

    cluster.start();

    let status = 503;
    for (let i = 0; i < 60 && status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (await api().get('/health/ready')).status;
    }
    expect(status).toBe(200);
    expect((await api().get('/v1/me', { token: tokens.access_token })).status).toBe(200);
    const again = await login(api(), account);
    expect(again.access_token).toEqual(expect.any(String));
  });
});
