// Starts Tessera from the compiled build as a child process, the way it runs in production
// (`node dist/apps/identity/src/main.js`), and stops it again.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startNode, stopChild, removeTempDir } from './children.mjs';
import { freshPgliteDir, freshPostgres } from './database.mjs';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const MAIN = resolve(ROOT, 'dist/apps/identity/src/main.js');
const READY_TIMEOUT_MS = 180_000;

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Only what a process needs to run: no DATABASE_URL, REDIS_URL or the like leaks in by accident. */
export function baseEnv() {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SYSTEMROOT'];
  return Object.fromEntries(
    keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]),
  );
}

/** The bootstrap admin of this run: generated unless BENCH_ADMIN_* name one (for a reused database). */
export function adminCredentials(settings) {
  return {
    email: settings.adminEmail ?? `bench-admin-${randomBytes(4).toString('hex')}@example.test`,
    password: settings.adminPassword ?? randomBytes(24).toString('base64url'),
  };
}

/** Resident memory of a process in MiB, from /proc (Linux); undefined elsewhere. */
export function rssMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function untilReady(url, child, startedAt) {
  while (performance.now() - startedAt < READY_TIMEOUT_MS) {
    if (child.exitCode !== null) break;
    const status = await fetch(`${url}/health/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return performance.now() - startedAt;
    await sleep(50);
  }
  throw new Error(`Tessera did not become ready; its last output:\n${child.outputTail()}`);
}

/**
 * One Tessera instance on a fresh database. Rate limits are raised far out of reach so the bench
 * measures work, not refusals; request logging is off (LOG_LEVEL=warn) so it measures no logging.
 */
export async function startTessera(settings, { bcryptCost, admin }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...baseEnv(),
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: url,
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    LOGIN_IP_LIMIT: '100000000/60',
    LOGIN_ACCOUNT_LIMIT: '100000000/60',
    API_RATE_LIMIT: '100000000/60',
    ADMIN_MFA_REQUIRED: 'false',
    BOOTSTRAP_ADMIN_EMAIL: admin.email,
    BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    ROLES_FILE: resolve(ROOT, 'examples/roles.yaml'),
    BCRYPT_COST: String(bcryptCost),
    KEY_ROTATION_DAYS: '0',
  };
  let dataDir;
  if (settings.db === 'postgres') env.DATABASE_URL = await freshPostgres(settings);
  else env.DATA_DIR = dataDir = freshPgliteDir();
  if (settings.redisUrl) env.REDIS_URL = settings.redisUrl;

  const startedAt = performance.now();
  // --profile: V8 writes a .cpuprofile when the instance exits (open it in Chrome DevTools).
  const nodeArgs = settings.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(ROOT, 'bench/results/profiles')}`]
    : [];
  const child = startNode(MAIN, { env, cwd: ROOT, name: 'tessera', nodeArgs });
  const timeToReadyMs = await untilReady(url, child, startedAt);
  return {
    url,
    pid: child.pid,
    bcryptCost,
    databaseUrl: env.DATABASE_URL,
    timeToReadyMs: Math.round(timeToReadyMs),
    rssMiB: () => rssMiB(child.pid),
    async stop() {
      await stopChild(child);
      if (dataDir) removeTempDir(dataDir);
    },
  };
}
