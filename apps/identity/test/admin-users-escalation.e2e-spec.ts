import { registerAndLogin } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, createRoleInDb } from './support/admin';
import { putRoles, storedAccount, USERS } from './support/admin-users';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { rolesOf } from './support/user-queries';

describe('granting oneself more than one holds', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);

  beforeAll(async () => {
    await createRoleInDb(app, 'helpdesk', ['user:read', 'user:update']);
  });

  it.each([
    ['roles', { roles: ['admin'] }],
    ['disabled', { displayName: 'Eve', disabled: false }],
    ['id', { displayName: 'Eve', id: '00000000-0000-4000-8000-000000000001' }],
  ])('PATCH /v1/me refuses %s with 400 and changes nothing', async (_, body) => {
    const { account, tokens } = await registerAndLogin(api);
    const reply = await api.patch('/v1/me', body, { token: tokens.access_token });
    expectProblem(reply, 400, 'validation_failed');
    expect(await rolesOf(app, account.id)).toEqual(['user']);
    expect(await storedAccount(app, account.id)).toMatchObject({
      display_name: null,
      disabled_at: null,
    });
  });

  it('refuses a plain user who puts admin into their own roles', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const reply = await putRoles(api, tokens.access_token, account.id, ['admin']);
    expectProblem(reply, 403, 'forbidden');
    expect(await rolesOf(app, account.id)).toEqual(['user']);
  });

  it('refuses a helpdesk user who grants themselves admin, or creates an admin', async () => {
    const { account, token } = await accountWithRoles(app, api, ['helpdesk']);
    expectProblem(await putRoles(api, token, account.id, ['helpdesk', 'admin']), 403, 'forbidden');
    expect(await rolesOf(app, account.id)).toEqual(['helpdesk', 'user']);

    const created = await api.post(
      USERS,
      { email: 'sock-puppet@example.com', roles: ['admin'] },
      { token },
    );
    expectProblem(created, 403, 'forbidden');
  });
});
