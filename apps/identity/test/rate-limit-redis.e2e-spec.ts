import { uniqueEmail } from './support/accounts';
import { creds } from './support/credentials';
import {
  expectRateLimited,
  from,
  loginFrom,
  registerFromElsewhere,
  uniqueIp,
} from './support/rate-limits';
import { appForSuite, instancesForSuite } from './support/suite-app';
import { ON_POSTGRES } from './support/test-database';
import { E2E_REDIS_URL } from './support/test-app';

const LIMITS = {
  LOGIN_IP_LIMIT: '3/60',
  LOGIN_ACCOUNT_LIMIT: '2/900',
  TRUST_PROXY: '127.0.0.1',
};

describe('rate limits while Redis is unreachable (REDIS_URL at a closed port)', () => {
  const { api } = appForSuite({ ...LIMITS, REDIS_URL: 'redis://127.0.0.1:1' });

  it('still limits each IP, in the memory of the instance', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await loginFrom(api, ip, uniqueEmail())).status).toBe(401);

    expectRateLimited(await loginFrom(api, ip, uniqueEmail()), 60);
  });

  it('still limits each account, in the memory of the instance', async () => {
    const account = await registerFromElsewhere(api);
    for (let i = 0; i < 2; i++) {
      expect((await loginFrom(api, uniqueIp(), account.email)).status).toBe(401);
    }

    expectRateLimited(await api.post('/v1/auth/login', creds(account), from(uniqueIp())), 900);
  });
});

// Two instances on one database need PostgreSQL (PGlite is one process); CI sets both URLs.
const describeWithRedis = E2E_REDIS_URL && ON_POSTGRES ? describe : describe.skip;

describeWithRedis('two instances sharing one Redis', () => {
  const { apiA, apiB } = instancesForSuite(LIMITS);

  it('share the window of an IP', async () => {
    const ip = uniqueIp();
    expect((await loginFrom(apiA, ip, uniqueEmail())).status).toBe(401);
    expect((await loginFrom(apiB, ip, uniqueEmail())).status).toBe(401);
    expect((await loginFrom(apiA, ip, uniqueEmail())).status).toBe(401);

    expectRateLimited(await loginFrom(apiB, ip, uniqueEmail()), 60);
    expectRateLimited(await loginFrom(apiA, ip, uniqueEmail()), 60);
  });

  it('share the counter of an account', async () => {
    const account = await registerFromElsewhere(apiA);
    expect((await loginFrom(apiA, uniqueIp(), account.email)).status).toBe(401);
    expect((await loginFrom(apiB, uniqueIp(), account.email)).status).toBe(401);

    expectRateLimited(await apiA.post('/v1/auth/login', creds(account), from(uniqueIp())), 900);
    expectRateLimited(await apiB.post('/v1/auth/login', creds(account), from(uniqueIp())), 900);
  });

  it('share the counter of an email without an account', async () => {
    const nobody = uniqueEmail('nobody');
    expect((await loginFrom(apiB, uniqueIp(), nobody)).status).toBe(401);
    expect((await loginFrom(apiA, uniqueIp(), nobody)).status).toBe(401);

    expectRateLimited(await loginFrom(apiB, uniqueIp(), nobody), 900);
  });
});
