import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  env: Record<string, string>;
  /** The app's own data source, for asserting what is stored and for moving clocks in rows. */
  db: DataSource;
  /** Stops the app; the database stays for a restart or a second instance. */
  stop(): Promise<void>;
  /** Stops the app and drops its database. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Boots the real service over HTTP on 127.0.0.1 with a fresh database (see test-database.ts).
 * `env` overrides settings; pass `database` to start a second instance or a restart on the
 * same data.
 */
export async function startApp(
  env: Record<string, string> = {},
  database?: TestDatabase,
): Promise<TestApp> {
  const owned = database ?? (await createTestDatabase());
  const port = await freePort();
  const fullEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    BCRYPT_COST: '10',
    MASTER_KEY: TEST_MASTER_KEY,
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: `http://127.0.0.1:${port}`,
    ...GENEROUS_LIMITS,
    ...redisEnv(owned),
    ...owned.env,
    ...env,
  };
  const config = loadConfig(fullEnv);
  const app = await createApp(config).catch(async (error: unknown) => {
    if (!database) await owned.drop();
    throw error;
  });
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    if (!database) await owned.drop();
    throw error;
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    env: fullEnv,
    db: app.get<DataSource>(getDataSourceToken()),
    stop,
    close: async () => {
      await stop();
      if (!database) await owned.drop();
    },
  };
}

/** Limits no suite meets by accident (many logins from 127.0.0.1); rate-limit tests set their own. */
const GENEROUS_LIMITS = {
  LOGIN_IP_LIMIT: '100000/60',
  LOGIN_ACCOUNT_LIMIT: '100000/900',
  API_RATE_LIMIT: '100000/60',
};

/** With E2E_REDIS_URL (CI sets it), every app keeps its counters in that Redis. */
export const E2E_REDIS_URL = process.env.E2E_REDIS_URL;
const redisPrefixes = new WeakMap<TestDatabase, string>();

/** Apps on one database share a key prefix, as instances of one deployment; no others do. */
function redisEnv(database: TestDatabase): Record<string, string> {
  if (!E2E_REDIS_URL) return {};
  let prefix = redisPrefixes.get(database);
  if (!prefix) {
    prefix = `tessera-e2e-${randomBytes(6).toString('hex')}:`;
    redisPrefixes.set(database, prefix);
  }
  return { REDIS_URL: E2E_REDIS_URL, REDIS_KEY_PREFIX: prefix };
}

/** One master key for the whole run, so restarts and second instances can open sealed keys. */
export const TEST_MASTER_KEY = randomBytes(32).toString('base64');

export { createTestDatabase };
