import { IP_BLOCKS_RELOAD_MS } from '../apps/identity/src/ip-blocks/ip-blocks.service';
import { ADMIN_SUITE_ENV, adminToken } from '../apps/identity/test/support/admin';
import type { Client } from '../apps/identity/test/support/http';
import { from } from '../apps/identity/test/support/rate-limits';
import { instancesForSuite } from '../apps/identity/test/support/suite-app';
import { ON_POSTGRES } from '../apps/identity/test/support/test-database';

const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

/** Polls until `api` answers `status` to a request from `ip`, for up to three reload intervals. */
async function statusSeenFrom(api: Client, ip: string, status: number): Promise<number> {
  let seen = 0;
  for (let waited = 0; waited <= 3 * IP_BLOCKS_RELOAD_MS; waited += 250) {
    seen = (await api.get('/.well-known/jwks.json', from(ip))).status;
    if (seen === status) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return seen;
}

describeOnPostgres('the IP block list on two instances', () => {
  const { apiA, apiB } = instancesForSuite({ ...ADMIN_SUITE_ENV, TRUST_PROXY: '127.0.0.1' });

  it('is enforced by the other instance within its reload interval, and lifted the same way', async () => {
    const created = await apiA.post(
      '/v1/admin/ip-blocks',
      { cidr: '203.0.113.0/24', reason: 'stuffing from a botnet' },
      { token: await adminToken(apiA) },
    );
    expect(created.status).toBe(201);

    expect(await statusSeenFrom(apiB, '203.0.113.50', 403)).toBe(403);

    await apiA.delete(`/v1/admin/ip-blocks/${created.body.id}`, undefined, {
      token: await adminToken(apiA),
    });
    expect(await statusSeenFrom(apiB, '203.0.113.50', 200)).toBe(200);
  });
});
