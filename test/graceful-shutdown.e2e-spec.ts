import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { GOOD_PASSWORD, uniqueEmail } from '../apps/identity/test/support/accounts';
import { client } from '../apps/identity/test/support/http';
import { TEST_MASTER_KEY, freePort } from '../apps/identity/test/support/test-app';
import { createTestDatabase, type TestDatabase } from '../apps/identity/test/support/test-database';

const ROOT = join(__dirname, '..');
const IN_FLIGHT = 4;

/** Starts the built service as `npm start` would, and resolves once it is ready. */
async function startService(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['dist/apps/identity/src/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: process.env.DEBUG_DRAIN ? 'inherit' : 'ignore',
  });
  const api = client(`http://127.0.0.1:${env.PORT}`);
  for (let i = 0; i < 200; i += 1) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    const ready = await api.get('/health/ready').catch(() => undefined);
    if (ready?.status === 200) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the service did not become ready');
}

describe('SIGTERM', () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    database = await createTestDatabase();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await database.drop();
  });

  it('lets the requests in flight finish, then stops taking new ones and exits', async () => {
    const port = String(await freePort());
    child = await startService({
      ...database.env,
      PORT: port,
      HOST: '127.0.0.1',
      MASTER_KEY: TEST_MASTER_KEY,
      LOG_LEVEL: process.env.DEBUG_DRAIN ? 'info' : 'silent',
      // The default cost keeps each registration busy hashing long enough to be caught mid-way.
      BCRYPT_COST: '12',
    });
    const api = client(`http://127.0.0.1:${port}`);
    const exited = new Promise<unknown>((resolve) => child!.once('exit', resolve));

    const registrations = Array.from({ length: IN_FLIGHT }, () =>
      api.post('/v1/auth/register', { email: uniqueEmail('drain'), password: GOOD_PASSWORD }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGTERM');

    const replies = await Promise.all(registrations);
    expect(replies.map((reply) => reply.status)).toEqual(Array(IN_FLIGHT).fill(201));
    await exited;
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    child = undefined;
  });
});
