// Password logins. Each request logs in the next user of the pool (each login is one bcrypt
// comparison at the instance's cost, and opens a session). login-mixed asks permission checks
// at the same time, to see whether hashing starves the cheap requests.
import { measure, rotatingBodies } from '../load.mjs';
import { checkSubjectLoad } from './authz.mjs';

/** Under this p99, a permission check is unaffected enough by a saturating login load. */
export const MIXED_CHECK_P99_TARGET_MS = 25;

async function loginLoad(fixture) {
  const users = await fixture.users();
  const bodies = users.map(({ email, password }) => JSON.stringify({ email, password }));
  return {
    url: `${fixture.url}/v1/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: rotatingBodies(bodies) }],
  };
}

function loginScenario(name, instance) {
  return {
    name,
    instance,
    floorFor: (cost) => `floor-bcrypt-${cost}`,
    prepare: (fixture) => fixture.users(),
    async run(ctx) {
      const [result] = await measure(ctx, () => loginLoad(ctx.fixture));
      return [{ name, floor: this.floorFor(ctx.bcryptCost), ...result }];
    },
  };
}

/** At BENCH_BCRYPT_COST (12 by default), Tessera's default. */
export const login = loginScenario('login', 'main');
/** At cost 10, on a second instance started with BCRYPT_COST=10 and users registered under it. */
export const loginCost10 = loginScenario('login-cost10', 'cost10');

export const loginMixed = {
  name: 'login-mixed',
  prepare: (fixture) => Promise.all([fixture.users(), fixture.client()]),
  async run(ctx) {
    const { fixture, settings } = ctx;
    const [logins, checks] = await measure(ctx, async () => [
      { ...(await loginLoad(fixture)), connections: settings.connections },
      { ...(await checkSubjectLoad(fixture)), connections: settings.mixedCheckConnections },
    ]);
    const met = checks.p99 < MIXED_CHECK_P99_TARGET_MS;
    return [
      { name: 'login-mixed: logins', floor: `floor-bcrypt-${ctx.bcryptCost}`, ...logins },
      {
        name: 'login-mixed: checks',
        ...checks,
        note: `check p99 target < ${MIXED_CHECK_P99_TARGET_MS} ms while logins saturate hashing: ${met ? 'met' : 'MISSED'}`,
      },
    ];
  },
};
