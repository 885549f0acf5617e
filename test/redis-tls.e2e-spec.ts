import { rmSync } from 'node:fs';
import { PermissionCache } from '../apps/identity/src/roles/permission-cache';
import { uniqueEmail } from '../apps/identity/test/support/accounts';
import { client } from '../apps/identity/test/support/http';
import { loginFrom, uniqueIp } from '../apps/identity/test/support/rate-limits';
import {
  createScratchRedis,
  redisServerHasTls,
  type ScratchRedis,
} from '../apps/identity/test/support/scratch-redis';
import {
  selfSignedCertificate,
  type TestCertificate,
} from '../apps/identity/test/support/test-certificates';
import { freePort, startApp, type TestApp } from '../apps/identity/test/support/test-app';
import { ON_POSTGRES } from '../apps/identity/test/support/test-database';

const PREFIX = 'tessera-tls:';
const ENV = { TRUST_PROXY: '127.0.0.1', LOGIN_IP_LIMIT: '3/60', REDIS_KEY_PREFIX: PREFIX };

// Needs a redis-server built with TLS; CI runs it with the PostgreSQL suite.
const describeWithTlsRedis = ON_POSTGRES && redisServerHasTls() ? describe : describe.skip;

describeWithTlsRedis('Redis over TLS (rediss://), verified against REDIS_CA_FILE', () => {
  let server: TestCertificate;
  let stranger: TestCertificate;
  let redis: ScratchRedis;
  let app: TestApp | undefined;

  beforeAll(async () => {
    server = selfSignedCertificate();
    stranger = selfSignedCertificate();
    redis = createScratchRedis(await freePort(), server);
    await redis.start();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await redis?.kill();
    for (const certificate of [server, stranger]) {
      if (certificate) rmSync(certificate.dir, { recursive: true, force: true });
    }
  });

  /** Whether a failed login from a fresh IP is counted in the scratch Redis. */
  async function countsInRedis(started: TestApp): Promise<boolean> {
    const ip = uniqueIp();
    expect((await loginFrom(client(started.url), ip, uniqueEmail())).status).toBe(401);
    return (await redis.get(`{${PREFIX}login_ip:ip:${ip}:window}:hits`)) === '1';
  }

  /** Whether the app comes to listen for role changes on Redis, within 5 s. */
  async function subscribed(started: TestApp): Promise<boolean> {
    const until = Date.now() + 5_000;
    const cache = started.app.get(PermissionCache);
    while (!cache.changesAnnounced && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return cache.changesAnnounced;
  }

  it('counts limits and hears role changes through Redis when the CA file is given', async () => {
    app = await startApp({ ...ENV, REDIS_URL: redis.url, REDIS_CA_FILE: server.cert });

    expect(await countsInRedis(app)).toBe(true);
    expect(await subscribed(app)).toBe(true);
  });

  it.each([
    ['no CA file', () => ({})],
    ['a CA file of another CA', () => ({ REDIS_CA_FILE: stranger.cert })],
  ])('trusts nothing it cannot verify, with %s: it counts in memory', async (_, caEnv) => {
    app = await startApp({ ...ENV, REDIS_URL: redis.url, ...caEnv() });

    expect(await countsInRedis(app)).toBe(false);
    expect(app.app.get(PermissionCache).changesAnnounced).toBe(false);
  });
});
