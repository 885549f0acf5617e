import { GOOD_PASSWORD, registerAndLogin } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import type { Client } from './support/http';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { from, uniqueIp } from './support/rate-limits';
import { appForSuite } from './support/suite-app';

/** A /24 of TEST-NET-3 that no other test uses, and an address inside it. */
function uniqueRange() {
  const third = Math.floor(Math.random() * 256);
  return { cidr: `203.0.${third}.0/24`, inside: `203.0.${third}.77` };
}

async function block(api: Client, cidr: string, extra: object = {}) {
  return api.post(
    '/v1/admin/ip-blocks',
    { cidr, reason: 'incident 42', ...extra },
    { token: await adminToken(api) },
  );
}

describe('the IP block list', () => {
  const { app, api } = appForSuite({ ...ADMIN_SUITE_ENV, TRUST_PROXY: '127.0.0.1' });

  it('refuses every request from a blocked range before any other work, with 403', async () => {
    const { cidr, inside } = uniqueRange();
    const { account, tokens } = await registerAndLogin(api);
    expect((await block(api, cidr)).status).toBe(201);

    for (const [method, path, body] of [
      ['POST', '/v1/auth/login', { email: account.email, password: GOOD_PASSWORD }],
      ['GET', '/v1/me', undefined],
      ['GET', '/.well-known/jwks.json', undefined],
      ['GET', '/no/such/route', undefined],
    ] as const) {
      const reply = await api.request(
        method,
        path,
        body,
        from(inside, { token: tokens.access_token }),
      );
      expectProblem(reply, 403, 'ip_blocked');
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const [{ n }] = await app.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE type = 'login.succeeded' AND ip = $1`,
      [inside],
    );
    expect(n).toBe(0);
  });

  it('still answers health probes from a blocked range', async () => {
    const { cidr, inside } = uniqueRange();
    await block(api, cidr);

    expect((await api.get('/health/live', from(inside))).status).toBe(200);
  });

  it('lets other addresses through, and the blocked one again once the block is deleted', async () => {
    const { cidr, inside } = uniqueRange();
    const created = await block(api, cidr);
    expect((await api.get('/.well-known/jwks.json', from(uniqueIp()))).status).toBe(200);
    expect((await api.get('/.well-known/jwks.json', from(inside))).status).toBe(403);

    const deleted = await api.delete(`/v1/admin/ip-blocks/${created.body.id}`, undefined, {
      token: await adminToken(api),
    });

    expect(deleted.status).toBe(204);
    expect((await api.get('/.well-known/jwks.json', from(inside))).status).toBe(200);
    const types: { type: string }[] = await app.db.query(
      `SELECT type FROM audit_events WHERE type LIKE 'ip_block.%' AND details->>'id' = $1 ORDER BY at`,
      [created.body.id],
    );
    expect(types.map((row) => row.type)).toEqual(['ip_block.created', 'ip_block.deleted']);
  });

  it('stores a range without its host bits and lists it', async () => {
    const { cidr, inside } = uniqueRange();

    const created = await block(api, `${inside}/24`, { expiresAt: '2999-01-01T00:00:00Z' });
    const list = await api.get('/v1/admin/ip-blocks', { token: await adminToken(api) });

    expect(created.body).toMatchObject({
      cidr,
      reason: 'incident 42',
      createdBy: expect.any(String),
    });
    expect(list.body.items).toContainEqual(created.body);
    expect(list.body.next_cursor).toBeNull();
  });

  it('blocks single IPv6 addresses and IPv6 ranges', async () => {
    const created = await block(api, '2001:db8:42::/48');

    expect(created.status).toBe(201);
    expect((await api.get('/.well-known/jwks.json', from('2001:db8:42::9'))).status).toBe(403);
    expect((await api.get('/.well-known/jwks.json', from('2001:db8:43::9'))).status).toBe(200);
  });

  it('lifts a block when it expires', async () => {
    const { cidr, inside } = uniqueRange();
    const created = await block(api, cidr, {
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await api.get('/.well-known/jwks.json', from(inside))).status).toBe(403);

    await app.db.query(`UPDATE ip_blocks SET expires_at = now() WHERE id = $1`, [created.body.id]);

    // Each instance rereads the list every few seconds.
    let status = 403;
    for (let i = 0; i < 40 && status === 403; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await api.get('/.well-known/jwks.json', from(inside))).status;
    }
    expect(status).toBe(200);
  });

  it('refuses to block the address the admin is calling from', async () => {
    const reply = await block(api, '127.0.0.0/8');

    expectProblem(reply, 409, 'would_block_self');
    const rows = await app.db.query(`SELECT 1 FROM ip_blocks WHERE cidr = '127.0.0.0/8'`);
    expect(rows).toHaveLength(0);
  });

  it.each(['10.0.0.0/33', 'example.com', '1.2.3.4; DROP TABLE ip_blocks', '', '::/129'])(
    'refuses the range %p with 400',
    async (cidr) => {
      expectFieldErrors(await block(api, cidr), 'cidr');
    },
  );

  it('refuses an expiry in the past and a missing reason', async () => {
    expectFieldErrors(
      await block(api, '192.0.2.0/24', { expiresAt: '2001-01-01T00:00:00Z' }),
      'expiresAt',
    );
    const reply = await api.post(
      '/v1/admin/ip-blocks',
      { cidr: '192.0.2.0/24' },
      { token: await adminToken(api) },
    );
    expectFieldErrors(reply, 'reason');
  });

  it('answers 404 for a block that does not exist', async () => {
    const token = await adminToken(api);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expectProblem(
        await api.delete(`/v1/admin/ip-blocks/${id}`, undefined, { token }),
        404,
        'not_found',
      );
    }
  });

  it.each([
    ['GET', '/v1/admin/ip-blocks'],
    ['POST', '/v1/admin/ip-blocks'],
    ['DELETE', '/v1/admin/ip-blocks/00000000-0000-4000-8000-000000000000'],
  ])(
    'keeps %s %s from callers without security:write (403) and without a token (401)',
    async (method, path) => {
      await createRoleInDb(app, `helpdesk-${method.toLowerCase()}`, ['user:read', 'user:update']);
      const { token } = await accountWithRoles(app, api, [`helpdesk-${method.toLowerCase()}`]);
      const body = method === 'POST' ? { cidr: '192.0.2.0/24', reason: 'x' } : undefined;

      expectProblem(await api.request(method, path, body, { token }), 403, 'forbidden');
      expectProblem(await api.request(method, path, body), 401, 'unauthenticated');
      const rows = await app.db.query(`SELECT 1 FROM ip_blocks WHERE cidr = '192.0.2.0/24'`);
      expect(rows).toHaveLength(0);
    },
  );
});
