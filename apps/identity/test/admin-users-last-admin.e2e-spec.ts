import { login, register } from './support/accounts';
import { ADMIN_SUITE_ENV, adminToken, grantRoleInDb } from './support/admin';
import { putRoles, storedAccount, USERS } from './support/admin-users';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { admins, rolesOf } from './support/user-queries';

describe('the last admin', () => {
  describe('while one admin exists', () => {
    const { app, api } = appForSuite(ADMIN_SUITE_ENV);

    async function theAdmin() {
      const [admin] = await admins(app);
      return { id: admin.id as string, token: await adminToken(api) };
    }

    it('cannot be deleted', async () => {
      const admin = await theAdmin();
      const reply = await api.delete(`${USERS}/${admin.id}`, undefined, { token: admin.token });
      expectProblem(reply, 409, 'last_admin');
      expect(await storedAccount(app, admin.id)).toBeDefined();
    });

    it('cannot be disabled', async () => {
      const admin = await theAdmin();
      const reply = await api.patch(
        `${USERS}/${admin.id}`,
        { disabled: true },
        { token: admin.token },
      );
      expectProblem(reply, 409, 'last_admin');
      expect((await storedAccount(app, admin.id))?.disabled_at).toBeNull();
    });

    it('cannot be demoted', async () => {
      const admin = await theAdmin();
      const reply = await putRoles(api, admin.token, admin.id, ['user']);
      expectProblem(reply, 409, 'last_admin');
      expect(await rolesOf(app, admin.id)).toEqual(['admin', 'user']);
    });

    it('is still the last one when the other admin is disabled', async () => {
      const admin = await theAdmin();
      const other = await register(api);
      await grantRoleInDb(app, other.id, 'admin');
      const disabled = await api.patch(
        `${USERS}/${other.id}`,
        { disabled: true },
        { token: admin.token },
      );
      expect(disabled.status).toBe(200);

      expectProblem(await putRoles(api, admin.token, admin.id, []), 409, 'last_admin');
      expect(await rolesOf(app, admin.id)).toEqual(['admin', 'user']);
    });
  });

  describe('while two admins exist', () => {
    const { app, api } = appForSuite(ADMIN_SUITE_ENV);

    async function secondAdmin() {
      const account = await register(api);
      await grantRoleInDb(app, account.id, 'admin');
      return { id: account.id, token: (await login(api, account)).access_token };
    }

    it('lets one be demoted, and then refuses to demote the other', async () => {
      const [first] = await admins(app);
      const second = await secondAdmin();

      const demoted = await putRoles(api, second.token, first.id, []);
      expect(demoted.status).toBe(200);
      expect(demoted.body.roles).toEqual(['user']);

      expectProblem(await putRoles(api, second.token, second.id, []), 409, 'last_admin');
      expect(await admins(app)).toEqual([expect.objectContaining({ id: second.id })]);
    });

    it('lets one be deleted or disabled while another remains', async () => {
      const keeper = await secondAdmin();
      const deleted = await secondAdmin();
      const disabled = await secondAdmin();

      const gone = await api.delete(`${USERS}/${deleted.id}`, undefined, { token: keeper.token });
      expect(gone.status).toBe(204);
      const off = await api.patch(
        `${USERS}/${disabled.id}`,
        { disabled: true },
        { token: keeper.token },
      );
      expect(off.status).toBe(200);
    });

    it('keeps at least one admin when two demote each other at the same time', async () => {
      const onlyAdmins = await admins(app);
      const a = await secondAdmin();
      const b = await secondAdmin();
      // Leave exactly a and b as enabled admins.
      for (const other of onlyAdmins) {
        await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [other.id]);
      }

      const replies = await Promise.all([
        putRoles(api, a.token, b.id, []),
        putRoles(api, b.token, a.id, []),
      ]);

      const statuses = replies.map((reply) => reply.status).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      const enabledAdmins = await app.db.query(
        `SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
         JOIN roles r ON r.id = ur.role_id WHERE r.name = 'admin' AND u.disabled_at IS NULL`,
      );
      expect(enabledAdmins).toHaveLength(1);
    });
  });
});
