import { decodeJwt } from 'jose';
import { login, registerAndLogin } from './support/accounts';
import {
  accountWithRoles,
  ADMIN_SUITE_ENV,
  adminToken,
  createRoleInDb,
  grantRoleInDb,
} from './support/admin';
import { auditOf, putRoles, refresh, USERS } from './support/admin-users';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { rolesOf } from './support/user-queries';

describe('PUT /v1/admin/users/:id/roles', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);

  beforeAll(async () => {
    await createRoleInDb(app, 'support', ['user:read', 'user:update']);
    await createRoleInDb(app, 'viewer', ['report:read']);
    await createRoleInDb(app, 'billing', ['invoice:write']);
  });

  it('replaces the roles, keeps user, and audits what was added and removed', async () => {
    const { account } = await registerAndLogin(api);
    await grantRoleInDb(app, account.id, 'billing');
    const { account: admin, token } = await accountWithRoles(app, api, ['admin']);

    const reply = await putRoles(api, token, account.id, ['viewer']);

    expect(reply.status).toBe(200);
    expect(reply.body.roles).toEqual(['user', 'viewer']);
    expect(await rolesOf(app, account.id)).toEqual(['user', 'viewer']);
    expect(await auditOf(app, reply)).toEqual([
      {
        type: 'role.changed',
        actorId: admin.id,
        subjectId: account.id,
        outcome: 'success',
        details: { added: ['viewer'], removed: ['billing'] },
      },
    ]);
  });

  it('keeps the user role when the list leaves it out or is empty', async () => {
    const { account } = await registerAndLogin(api);
    const reply = await putRoles(api, await adminToken(api), account.id, []);
    expect(reply.status).toBe(200);
    expect(reply.body.roles).toEqual(['user']);
    expect(await auditOf(app, reply)).toEqual([]);
  });

  it('refuses to let a caller grant themselves a role they lack the permissions of', async () => {
    const { account, token } = await accountWithRoles(app, api, ['support']);
    for (const roles of [
      ['support', 'admin'],
      ['support', 'viewer'],
    ]) {
      const reply = await putRoles(api, token, account.id, roles);
      expectProblem(reply, 403, 'forbidden');
    }
    expect(await rolesOf(app, account.id)).toEqual(['support', 'user']);
  });

  it('refuses to take away a role whose permissions the caller lacks', async () => {
    const { token } = await accountWithRoles(app, api, ['support']);
    const { account } = await registerAndLogin(api);
    await grantRoleInDb(app, account.id, 'billing');
    // The target holds invoice:write, which support lacks: both rules refuse.
    const reply = await putRoles(api, token, account.id, []);
    expectProblem(reply, 403, 'forbidden');
    expect(await rolesOf(app, account.id)).toEqual(['billing', 'user']);
  });

  it('refuses to demote an admin for a caller who is not one', async () => {
    const { token } = await accountWithRoles(app, api, ['support']);
    const { account: admin } = await accountWithRoles(app, api, ['admin']);
    expectProblem(await putRoles(api, token, admin.id, []), 403, 'forbidden');
    expect(await rolesOf(app, admin.id)).toEqual(['admin', 'user']);
  });

  it('lets a caller hand out a role whose permissions they hold', async () => {
    const { token } = await accountWithRoles(app, api, ['support']);
    const { account } = await registerAndLogin(api);
    const reply = await putRoles(api, token, account.id, ['support']);
    expect(reply.status).toBe(200);
    expect(await rolesOf(app, account.id)).toEqual(['support', 'user']);
  });

  it('takes a removed role away at once on admin routes and from the next refreshed token', async () => {
    const { account } = await registerAndLogin(api);
    await grantRoleInDb(app, account.id, 'support');
    const tokens = await login(api, account);
    expect(decodeJwt(tokens.access_token).roles).toEqual(['support', 'user']);
    expect((await api.get(USERS, { token: tokens.access_token })).status).toBe(200);

    const reply = await putRoles(api, await adminToken(api), account.id, []);
    expect(reply.status).toBe(200);

    expectProblem(await api.get(USERS, { token: tokens.access_token }), 403, 'forbidden');
    const refreshed = await refresh(api, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token).roles).toEqual(['user']);
  });

  it('refuses an unknown role with 400 and changes nothing', async () => {
    const { account } = await registerAndLogin(api);
    const reply = await putRoles(api, await adminToken(api), account.id, ['no-such-role']);
    expectFieldErrors(reply, 'roles');
    expect(await rolesOf(app, account.id)).toEqual(['user']);
  });

  it.each([
    ['a missing list', undefined],
    ['a string', 'admin'],
    ['numbers', [1, 2]],
    ['too many roles', Array.from({ length: 51 }, (_, i) => `role-${i}`)],
  ])('refuses %s with 400', async (_, roles) => {
    const { account } = await registerAndLogin(api);
    const reply = await putRoles(api, await adminToken(api), account.id, roles);
    expectFieldErrors(reply, 'roles');
  });

  it('answers 404 not_found for an unknown or malformed id', async () => {
    const token = await adminToken(api);
    expectProblem(await putRoles(api, token, 'nobody', []), 404, 'not_found');
    expectProblem(
      await putRoles(api, token, '7d4e1c7e-6d0a-4c39-9f0e-9b1d3b6f0c11', []),
      404,
      'not_found',
    );
  });
});
