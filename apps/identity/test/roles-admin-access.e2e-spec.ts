import { registerAndLogin } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { ROLES, serviceClientInDb } from './support/authz';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

/** Every roles admin route, the permission it needs, and a body that would be valid. */
const ROUTES: [string, string, string, unknown][] = [
  ['GET', ROLES, 'role:read', undefined],
  ['GET', '/v1/admin/permissions', 'role:read', undefined],
  ['POST', ROLES, 'role:write', { name: 'newcomer', permissions: [] }],
  ['PATCH', `${ROLES}/viewer`, 'role:write', { description: 'Changed' }],
  ['DELETE', `${ROLES}/viewer`, 'role:write', undefined],
];

describe('who may call the roles admin API', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);

  beforeAll(async () => {
    await createRoleInDb(app, 'viewer', ['dataset:read']);
    await createRoleInDb(app, 'analyst', ['dataset:read', 'detection:predict']);
    await createRoleInDb(app, 'role-reader', ['role:read']);
    await createRoleInDb(app, 'role-writer', ['role:write', 'dataset:read']);
  });

  it.each(ROUTES)('%s %s answers 401 without a token', async (method, path) => {
    const reply = await api.request(method, path, undefined);

    expectProblem(reply, 401, 'unauthenticated');
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });

  it.each(ROUTES)('%s %s answers 403 to an analyst', async (method, path, _, body) => {
    const { token } = await accountWithRoles(app, api, ['analyst']);

    expectProblem(await api.request(method, path, body, { token }), 403, 'forbidden');
  });

  it.each(ROUTES)(
    '%s %s answers 403 to a role holding every role permission but %s',
    async (method, path, permission, body) => {
      const role = permission === 'role:read' ? 'role-writer' : 'role-reader';
      const { token } = await accountWithRoles(app, api, [role]);

      expectProblem(await api.request(method, path, body, { token }), 403, 'forbidden');
    },
  );

  it('lists the roles to a holder of role:read, built-in ones included', async () => {
    const { token } = await accountWithRoles(app, api, ['role-reader']);

    const reply = await api.get(ROLES, { token });

    expect(reply.status).toBe(200);
    expect(reply.body.next_cursor).toBeNull();
    const byName = Object.fromEntries(reply.body.items.map((r: any) => [r.name, r]));
    expect(byName.admin).toMatchObject({ permissions: ['*'], mfaRequired: true });
    expect(byName.user.permissions).toEqual([]);
    expect(byName.analyst).toEqual({
      name: 'analyst',
      description: '',
      mfaRequired: false,
      permissions: ['dataset:read', 'detection:predict'],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const names = reply.body.items.map((r: any) => r.name);
    expect(names).toEqual([...names].sort());
  });

  it('lists each permission some role grants once, sorted', async () => {
    const reply = await api.get('/v1/admin/permissions', { token: await adminToken(api) });

    expect(reply.status).toBe(200);
    expect(reply.body.next_cursor).toBeNull();
    expect(reply.body.items).toEqual([...new Set(reply.body.items)].sort());
    expect(reply.body.items).toEqual(
      expect.arrayContaining(['*', 'dataset:read', 'detection:predict', 'role:read']),
    );
  });

  it('answers 403 to a plain user', async () => {
    const { tokens } = await registerAndLogin(api);

    expectProblem(await api.get(ROLES, { token: tokens.access_token }), 403, 'forbidden');
  });

  it('answers 403 to a service client without role:read, and 200 to one with it', async () => {
    const denied = await serviceClientInDb(app, api, ['analyst']);
    const allowed = await serviceClientInDb(app, api, ['role-reader']);

    expectProblem(await api.get(ROLES, { token: denied.token }), 403, 'forbidden');
    expect((await api.get(ROLES, { token: allowed.token })).status).toBe(200);
  });
});
