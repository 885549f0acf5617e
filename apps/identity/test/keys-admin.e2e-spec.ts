import { registerAndLogin } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { kidOf, publishedKids, verifyThroughJwks } from './support/keys';
import { appForSuite } from './support/suite-app';

describe('the admin key routes', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);

  it('lists the keys with their states and nothing private', async () => {
    const reply = await api.get('/v1/admin/keys', { token: await adminToken(api) });

    expect(reply.status).toBe(200);
    expect(reply.body.next_cursor).toBeNull();
    const active = reply.body.items.filter((key: { state: string }) => key.state === 'active');
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ alg: 'RS256', published: true, retiredAt: null });
    expect(await publishedKids(api)).toContain(active[0].kid);
    expect(reply.text).not.toMatch(/private|"d"|PRIVATE KEY/i);
  });

  it('rotates, audits who did it, and answers with the new signing key', async () => {
    const { tokens: before } = await registerAndLogin(api);

    const reply = await api.post('/v1/admin/keys/rotate', undefined, {
      token: await adminToken(api),
      headers: { 'x-request-id': 'rotate-by-admin' },
    });

    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ state: 'active', published: true });
    expect(kidOf((await registerAndLogin(api)).tokens)).toBe(reply.body.kid);
    await expect(verifyThroughJwks(app, before.access_token)).resolves.toBeDefined();
    const [event] = await app.db.query(
      `SELECT type, actor_id, details FROM audit_events WHERE request_id = 'rotate-by-admin'`,
    );
    expect(event).toMatchObject({ type: 'key.rotated', actor_id: expect.any(String) });
    expect(event.details).toMatchObject({ kid: reply.body.kid, revokePrevious: false });
    expect(event.details.previous).toEqual([kidOf(before)]);
  });

  it('refuses a revoke_previous that is neither true nor false', async () => {
    const reply = await api.post('/v1/admin/keys/rotate?revoke_previous=yes', undefined, {
      token: await adminToken(api),
    });

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('validation_failed');
  });

  it.each([
    ['GET', '/v1/admin/keys'],
    ['POST', '/v1/admin/keys/rotate'],
  ])('answers %s %s with 401 without a token', async (method, path) => {
    const reply = await api.request(method, path);

    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each([
    ['GET', '/v1/admin/keys'],
    ['POST', '/v1/admin/keys/rotate'],
  ])('answers %s %s with 403 to a caller without key:rotate', async (method, path) => {
    await createRoleInDb(app, `key-reader-${method.toLowerCase()}`, ['user:read', 'key:read']);
    const { token } = await accountWithRoles(app, api, [`key-reader-${method.toLowerCase()}`]);
    const kidsBefore = await publishedKids(api);

    const reply = await api.request(method, path, undefined, { token });

    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('forbidden');
    expect(await publishedKids(api)).toEqual(kidsBefore);
  });
});
