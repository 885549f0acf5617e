import { GOOD_PASSWORD, login, register, uniqueEmail } from './support/accounts';
import { ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { USERS, putRoles } from './support/admin-users';
import { ROLES } from './support/authz';
import {
  expectFailedCleanly,
  injectFault,
  removeFault,
  storedState,
} from './support/fault-injection';
import type { Reply } from './support/http';
import { appForSuite } from './support/suite-app';
import { rolesOf } from './support/user-queries';

const NEW_PASSWORD = 'a brand new passphrase, never used';

/**
 * Each case makes the database fail the second write of one change (see fault-injection.ts):
 * the request fails, every table holds what it held before, and once the fault is gone the same
 * request, or what it would have undone, works.
 */
describe('a database fault in the middle of a change', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let admin: string;

  beforeAll(async () => {
    admin = await adminToken(api);
    await createRoleInDb(app, 'fault-analyst', ['reports:read']);
  });

  afterEach(async () => {
    await removeFault(app);
  });

  /** Runs `request` with the fault in place; asserts a clean failure and no change of state. */
  async function failsLeavingNothing(request: () => Promise<Reply>) {
    const before = await storedState(app);

    const reply = await request();

    expectFailedCleanly(reply);
    expect(await storedState(app)).toEqual(before);
  }

  it('leaves no user, role grant or audit event behind when registration fails', async () => {
    const email = uniqueEmail('fault');
    await injectFault(app, 'audit_events', 'user.created');

    await failsLeavingNothing(() =>
      api.post('/v1/auth/register', { email, password: GOOD_PASSWORD }),
    );

    await removeFault(app);
    const again = await api.post('/v1/auth/register', { email, password: GOOD_PASSWORD });
    expect(again.status).toBe(201);
  });

  it('leaves no user behind when an admin creates one and the write fails', async () => {
    const email = uniqueEmail('fault');
    await injectFault(app, 'audit_events', 'user.created');

    await failsLeavingNothing(() =>
      api.post(USERS, { email, roles: ['fault-analyst'] }, { token: admin }),
    );

    await removeFault(app);
    expect((await api.post(USERS, { email }, { token: admin })).status).toBe(201);
  });

  it('keeps the refresh token usable when issuing its successor fails', async () => {
    const tokens = await login(api, await register(api));
    const refresh = () =>
      api.post('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
    await injectFault(app, 'refresh_tokens');

    await failsLeavingNothing(refresh);

    await removeFault(app);
    const again = await refresh();
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toEqual(expect.any(String));
  });

  it('keeps the old password and the other sessions when a password change fails', async () => {
    const account = await register(api);
    const current = await login(api, account);
    const other = await login(api, account);
    await injectFault(app, 'audit_events', 'password.changed');

    await failsLeavingNothing(() =>
      api.post(
        '/v1/me/password',
        { currentPassword: account.password, newPassword: NEW_PASSWORD },
        { token: current.access_token },
      ),
    );

    await removeFault(app);
    expect((await api.get('/v1/me', { token: other.access_token })).status).toBe(200);
    expect(await login(api, account)).toMatchObject({ access_token: expect.any(String) });
  });

  it('keeps the roles of a user when an admin role change fails', async () => {
    const account = await register(api);
    await injectFault(app, 'audit_events', 'role.changed');

    await failsLeavingNothing(() => putRoles(api, admin, account.id, ['fault-analyst']));

    expect(await rolesOf(app, account.id)).toEqual(['user']);
  });

  it("keeps a role's permissions when an admin's change to the role fails", async () => {
    await injectFault(app, 'audit_events', 'role.changed');

    await failsLeavingNothing(() =>
      api.patch(`${ROLES}/fault-analyst`, { permissions: ['reports:write'] }, { token: admin }),
    );

    await removeFault(app);
    const role = await api.get(ROLES, { token: admin });
    expect(role.body.items).toContainEqual(
      expect.objectContaining({ name: 'fault-analyst', permissions: ['reports:read'] }),
    );
  });

  it('keeps the user enabled and their sessions alive when disabling them fails', async () => {
    const account = await register(api);
    const tokens = await login(api, account);
    await injectFault(app, 'audit_events', 'user.disabled');

    await failsLeavingNothing(() =>
      api.patch(`${USERS}/${account.id}`, { disabled: true }, { token: admin }),
    );

    await removeFault(app);
    expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(200);
    const refreshed = await api.post('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
  });

  it('leaves no client and no secret behind when creating a client fails', async () => {
    await injectFault(app, 'audit_events', 'client.created');

    await failsLeavingNothing(() =>
      api.post('/v1/admin/clients', { name: 'faulty', roles: ['fault-analyst'] }, { token: admin }),
    );

    await removeFault(app);
    const listed = await api.get('/v1/admin/clients', { token: admin });
    expect(listed.body.items).not.toContainEqual(expect.objectContaining({ name: 'faulty' }));
  });
});
