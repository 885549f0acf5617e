import { randomUUID } from 'node:crypto';
import { registerAndLogin } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, createRoleInDb } from './support/admin';
import { USERS } from './support/admin-users';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

/** Every admin users route, with the permission it needs and a body that would be valid. */
const ROUTES: [string, string, (id: string) => string, string, unknown][] = [
  ['GET', '/v1/admin/users', () => USERS, 'user:read', undefined],
  ['GET', '/v1/admin/users/:id', (id) => `${USERS}/${id}`, 'user:read', undefined],
  ['POST', '/v1/admin/users', () => USERS, 'user:create', { email: 'someone@example.com' }],
  ['PATCH', '/v1/admin/users/:id', (id) => `${USERS}/${id}`, 'user:update', { displayName: 'X' }],
  [
    'PUT',
    '/v1/admin/users/:id/roles',
    (id) => `${USERS}/${id}/roles`,
    'user:update',
    { roles: [] },
  ],
  [
    'POST',
    '/v1/admin/users/:id/mfa/reset',
    (id) => `${USERS}/${id}/mfa/reset`,
    'user:update',
    undefined,
  ],
  [
    'GET',
    '/v1/admin/users/:id/sessions',
    (id) => `${USERS}/${id}/sessions`,
    'user:update',
    undefined,
  ],
  [
    'DELETE',
    '/v1/admin/users/:id/sessions',
    (id) => `${USERS}/${id}/sessions`,
    'user:update',
    undefined,
  ],
  ['DELETE', '/v1/admin/users/:id', (id) => `${USERS}/${id}`, 'user:delete', undefined],
];

const USER_PERMISSIONS = ['user:read', 'user:create', 'user:update', 'user:delete'];
/** A role holding every user permission but `permission`. */
const roleLacking = (permission: string) => `lacks-${permission.replace(':', '-')}`;

describe('who may call the admin users API', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);

  // Before any guarded request, so that the guard's permission cache starts out knowing them.
  beforeAll(async () => {
    for (const permission of USER_PERMISSIONS) {
      await createRoleInDb(
        app,
        roleLacking(permission),
        USER_PERMISSIONS.filter((p) => p !== permission),
      );
    }
    await createRoleInDb(app, 'user-manager', ['user:*']);
  });

  it.each(ROUTES)('%s %s answers 401 without a token', async (method, _, path) => {
    const reply = await api.request(method, path(randomUUID()), undefined);
    expectProblem(reply, 401, 'unauthenticated');
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });

  it.each(ROUTES)('%s %s answers 403 to a plain user', async (method, _, path, __, body) => {
    const { account, tokens } = await registerAndLogin(api);
    const reply = await api.request(method, path(account.id), body, {
      token: tokens.access_token,
    });
    expectProblem(reply, 403, 'forbidden');
  });

  it.each(ROUTES)(
    '%s %s answers 403 to a role holding every user permission but the one it needs',
    async (method, _, path, permission, body) => {
      const { account, token } = await accountWithRoles(app, api, [roleLacking(permission)]);

      const reply = await api.request(method, path(account.id), body, { token });
      expectProblem(reply, 403, 'forbidden');
      const [denied] = await app.db.query(
        `SELECT details FROM audit_events WHERE type = 'authz.denied' AND actor_id = $1`,
        [account.id],
      );
      expect(denied.details.required).toEqual([permission]);
    },
  );

  it.each(ROUTES)('%s %s is open to a role holding user:*', async (method, _, path, __, body) => {
    const { account, token } = await accountWithRoles(app, api, ['user-manager']);
    const reply = await api.request(method, path(account.id), body, { token });
    expect([200, 201, 204]).toContain(reply.status);
  });
});
