import {
  ADMIN_SUITE_ENV,
  createRoleInDb,
  grantRoleInDb,
} from '../apps/identity/test/support/admin';
import { check, ROLES } from '../apps/identity/test/support/authz';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../apps/identity/test/support/bootstrap';
import { creds } from '../apps/identity/test/support/credentials';
import { client } from '../apps/identity/test/support/http';
import {
  expectRateLimited,
  from,
  loginFrom,
  registerFromElsewhere,
  uniqueIp,
} from '../apps/identity/test/support/rate-limits';
import {
  CAN_RUN_SCRATCH_REDIS,
  createScratchRedis,
  type ScratchRedis,
} from '../apps/identity/test/support/scratch-redis';
import { freePort, startApp, type TestApp } from '../apps/identity/test/support/test-app';
import { ON_POSTGRES } from '../apps/identity/test/support/test-database';
import { type Account, uniqueEmail } from '../apps/identity/test/support/accounts';
import { PermissionCache } from '../apps/identity/src/roles/permission-cache';

const PREFIX = 'tessera-outage:';
const IP_WINDOW = 60;
const ACCOUNT_WINDOW = 900;
const ENV = {
  ...ADMIN_SUITE_ENV,
  LOGIN_IP_LIMIT: `3/${IP_WINDOW}`,
  LOGIN_ACCOUNT_LIMIT: `2/${ACCOUNT_WINDOW}`,
  TRUST_PROXY: '127.0.0.1',
  REDIS_KEY_PREFIX: PREFIX,
};
/** How long the service may take to notice that Redis is back (ioredis retries every 2 s at most). */
const RECONNECT_MS = 15_000;

/** Polls `probe` every 200 ms until it is true; false once `ms` have passed. */
async function eventually(probe: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Needs redis-server to stop and start one of its own; CI runs it with the PostgreSQL suite.
const describeWithScratchRedis = ON_POSTGRES && CAN_RUN_SCRATCH_REDIS ? describe : describe.skip;

describeWithScratchRedis('Redis stopped and restarted under the running service', () => {
  let redis: ScratchRedis;
  let app: TestApp;
  // Limited while Redis was down; their windows are still open once it is back.
  let limitedIp: string;
  let lockedAccount: Account;
  const api = () => client(app.url);
  const subscribed = () => app.app.get(PermissionCache).changesAnnounced;

  /** The hits of the IP's login window as Redis holds them (0 when Redis has no window). */
  const ipHitsInRedis = async (ip: string) =>
    Number((await redis.get(`{${PREFIX}login_ip:ip:${ip}:window}:hits`)) ?? 0);

  /** Three wrong logins from `ip`, each answered 401. */
  async function useUpIpLimit(ip: string) {
    for (let i = 0; i < 3; i++) {
      expect((await loginFrom(api(), ip, uniqueEmail())).status).toBe(401);
    }
  }

  async function tokenOf(account: { email: string; password: string }): Promise<string> {
    const reply = await api().post('/v1/auth/login', creds(account), from(uniqueIp()));
    expect(reply.status).toBe(200);
    return reply.body.access_token as string;
  }

  beforeAll(async () => {
    redis = createScratchRedis(await freePort());
    await redis.start();
    // Given last, REDIS_URL here wins over the one startApp derives from E2E_REDIS_URL.
    app = await startApp({ ...ENV, REDIS_URL: redis.url });
    expect(await eventually(subscribed, RECONNECT_MS)).toBe(true);
  });

  afterAll(async () => {
    await app?.close();
    await redis?.kill();
  });

  it('counts the per-IP login limit in Redis while Redis is up', async () => {
    const ip = uniqueIp();
    await useUpIpLimit(ip);
    expect(await ipHitsInRedis(ip)).toBe(3);

    expectRateLimited(await loginFrom(api(), ip, uniqueEmail()), IP_WINDOW);
    expect(await ipHitsInRedis(ip)).toBe(4);
  });

  describe('while Redis is down', () => {
    beforeAll(async () => {
      await redis.kill();
      expect(await eventually(() => !subscribed(), RECONNECT_MS)).toBe(true);
    });

    it('keeps registering and logging users in', async () => {
      const account = await registerFromElsewhere(api());

      const reply = await api().post('/v1/auth/login', creds(account), from(uniqueIp()));

      expect(reply.status).toBe(200);
      expect(reply.body.access_token).toEqual(expect.any(String));
    });

    it('refuses the fourth login from one IP, counted in memory', async () => {
      limitedIp = uniqueIp();
      await useUpIpLimit(limitedIp);

      expectRateLimited(await loginFrom(api(), limitedIp, uniqueEmail()), IP_WINDOW);
    });

    it('refuses an account past its failed logins even with the right password', async () => {
      lockedAccount = await registerFromElsewhere(api());
      for (let i = 0; i < 2; i++) {
        expect((await loginFrom(api(), uniqueIp(), lockedAccount.email)).status).toBe(401);
      }

      const reply = await api().post('/v1/auth/login', creds(lockedAccount), from(uniqueIp()));

      expectRateLimited(reply, ACCOUNT_WINDOW);
    });

    it('applies at once on this instance a permission taken from a role', async () => {
      await createRoleInDb(app, 'outage-reader', ['reports:list', 'reports:read']);
      const reader = await registerFromElsewhere(api());
      await grantRoleInDb(app, reader.id, 'outage-reader');
      const token = await tokenOf(reader);
      const asked = { permissions: ['reports:read'] };
      expect((await check(api(), token, asked)).body.allowed).toBe(true);

      const started = Date.now();
      const patched = await api().patch(
        `${ROLES}/outage-reader`,
        { permissions: ['reports:list'] },
        { token: await tokenOf({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) },
      );

      expect(patched.status).toBe(200);
      // Announcing the change to peers fails fast instead of holding the admin's request.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await check(api(), token, asked)).body).toMatchObject({ allowed: false });
    });
  });

  describe('after Redis starts again', () => {
    beforeAll(async () => {
      await redis.start();
    });

    it('subscribes to role changes again', async () => {
      expect(await eventually(subscribed, RECONNECT_MS)).toBe(true);
    });

    it('counts the per-IP login limit in Redis again', async () => {
      // Each probe is a fresh IP: the first whose hit reaches Redis shows the counters are back.
      let ip = uniqueIp();
      const backInRedis = await eventually(async () => {
        ip = uniqueIp();
        expect((await loginFrom(api(), ip, uniqueEmail())).status).toBe(401);
        return (await ipHitsInRedis(ip)) === 1;
      }, RECONNECT_MS);
      expect(backInRedis).toBe(true);

      for (let i = 0; i < 2; i++) {
        expect((await loginFrom(api(), ip, uniqueEmail())).status).toBe(401);
      }
      expect(await ipHitsInRedis(ip)).toBe(3);
      expectRateLimited(await loginFrom(api(), ip, uniqueEmail()), IP_WINDOW);
    });

    it('still refuses the IP and the account it limited while Redis was down', async () => {
      // Run after the counters are back in Redis (above): memory's windows still count.
      expectRateLimited(await loginFrom(api(), limitedIp, uniqueEmail()), IP_WINDOW);
      const reply = await api().post('/v1/auth/login', creds(lockedAccount), from(uniqueIp()));
      expectRateLimited(reply, ACCOUNT_WINDOW);
    });
  });
});
