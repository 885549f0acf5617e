import { uniqueEmail } from '../apps/identity/test/support/accounts';
import { creds } from '../apps/identity/test/support/credentials';
import {
  expectRateLimited,
  from,
  loginFrom,
  registerFromElsewhere,
  uniqueIp,
} from '../apps/identity/test/support/rate-limits';
import { clusterForSuite } from '../apps/identity/test/support/suite-app';
import { E2E_REDIS_URL } from '../apps/identity/test/support/test-app';
import { ON_POSTGRES } from '../apps/identity/test/support/test-database';

const describeWithRedis = E2E_REDIS_URL && ON_POSTGRES ? describe : describe.skip;

describeWithRedis('three instances sharing one Redis', () => {
  const instances = clusterForSuite(3, {
    LOGIN_IP_LIMIT: '6/60',
    LOGIN_ACCOUNT_LIMIT: '3/900',
    TRUST_PROXY: '127.0.0.1',
  });

  it('enforce one limit per IP between them, not one each', async () => {
    const ip = uniqueIp();
    for (const api of [...instances, ...instances]) {
      expect((await loginFrom(api, ip, uniqueEmail())).status).toBe(401);
    }

    for (const api of instances) expectRateLimited(await loginFrom(api, ip, uniqueEmail()), 60);
  });

  it('enforce one failure limit per account between them', async () => {
    const account = await registerFromElsewhere(instances[0]);
    for (const api of instances) {
      expect((await loginFrom(api, uniqueIp(), account.email)).status).toBe(401);
    }

    for (const api of instances) {
      expectRateLimited(await api.post('/v1/auth/login', creds(account), from(uniqueIp())), 900);
    }
  });
});
