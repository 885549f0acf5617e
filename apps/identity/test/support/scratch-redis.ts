import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { Redis, RedisOptions } from 'ioredis';
import type { TestCertificate } from './test-certificates';

const REDIS_SERVER = '/usr/bin/redis-server';
const START_TIMEOUT_MS = 10_000;

export const CAN_RUN_SCRATCH_REDIS = existsSync(REDIS_SERVER);

/** Whether this redis-server knows TLS: a build without it refuses `tls-port` as unknown. */
export function redisServerHasTls(): boolean {
  if (!CAN_RUN_SCRATCH_REDIS) return false;
  // Both ports 0: a build with TLS exits at once, as it is told to listen nowhere.
  const probe = spawnSync(REDIS_SERVER, ['--port', '0', '--tls-port', '0'], { timeout: 5_000 });
  return !`${probe.stdout}${probe.stderr}`.includes('Bad directive');
}

/** A short-lived connection that gives up at once instead of retrying. */
async function withConnection<T>(
  url: string,
  options: RedisOptions,
  use: (redis: Redis) => Promise<T>,
): Promise<T> {
  const redis = new Redis(url, {
    ...options,
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    // Closing waits this long for the socket to end, not ioredis's 2 s, which would hold Jest.
    disconnectTimeout: 100,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const result = await use(redis);
    await redis.quit();
    return result;
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}

/**
 * A Redis of the test's own on its own port, in memory only (no RDB, no AOF), that the test may
 * kill and start again under a running app without touching the machine's Redis. With `tls`,
 * it speaks only TLS with that certificate (`rediss://`), and the test trusts it.
 */
export function createScratchRedis(port: number, tls?: TestCertificate) {
  const url = `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`;
  const ports = tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const tlsFiles = tls
    ? ['--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.cert]
    : [];
  const clientOptions: RedisOptions = tls ? { tls: { ca: readFileSync(tls.cert, 'utf8') } } : {};
  let server: ChildProcess | undefined;

  const answers = () =>
    withConnection(url, clientOptions, (redis) => redis.ping()).then(
      () => true,
      () => false,
    );

  return {
    url,
    async start(): Promise<void> {
      const args = [...ports, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      server = spawn(REDIS_SERVER, [...args, ...tlsFiles], { stdio: 'ignore' });
      const startedBy = Date.now() + START_TIMEOUT_MS;
      while (!(await answers())) {
        if (server.exitCode !== null || Date.now() > startedBy) {
          throw new Error(`the scratch redis-server on port ${port} did not start`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    /** Kills the server as a crash would: open connections are cut, nothing is saved. */
    async kill(): Promise<void> {
      const running = server;
      server = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
    /** The string value at `key`, or null when Redis holds none. */
    get(key: string): Promise<string | null> {
      return withConnection(url, clientOptions, (redis) => redis.get(key));
    },
  };
}

export type ScratchRedis = ReturnType<typeof createScratchRedis>;
