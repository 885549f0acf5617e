import { login, register, type Account } from './accounts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BOOTSTRAP } from './bootstrap';
import type { Client } from './http';
import { PermissionCache } from '../../src/roles/permission-cache';
import type { TestApp } from './test-app';

/**
 * Settings for suites that exercise the admin API: the bootstrap admin exists, and the admin
 * role counts without a second factor (suites about step-up set ADMIN_MFA_REQUIRED themselves).
 */
export const ADMIN_SUITE_ENV = { ...BOOTSTRAP, ADMIN_MFA_REQUIRED: 'false' };

/** An access token of the bootstrap admin (under {@link ADMIN_SUITE_ENV}). */
export async function adminToken(api: Client): Promise<string> {
  return (await login(api, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).access_token;
}

/** Creates a role straight in the database, for arranging a test; the admin API is under test elsewhere. */
export async function createRoleInDb(
  app: TestApp,
  name: string,
  permissions: string[],
  mfaRequired = false,
): Promise<void> {
  await app.db.transaction(async (manager) => {
    await manager.query(`INSERT INTO roles (name, mfa_required) VALUES ($1, $2)`, [
      name,
      mfaRequired,
    ]);
    await manager.query(
      `INSERT INTO role_permissions (role_id, permission)
       SELECT id, unnest($2::text[]) FROM roles WHERE name = $1`,
      [name, permissions],
    );
  });
  // Written behind the app's back: its permission cache forgets now, as after an admin API change.
  app.app.get(PermissionCache).invalidate();
}

/** Gives a user a role straight in the database, for arranging a test. */
export async function grantRoleInDb(app: TestApp, userId: string, role: string): Promise<void> {
  await app.db.query(
    `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = $2
     ON CONFLICT DO NOTHING`,
    [userId, role],
  );
}

/** A new account holding `roles` (besides `user`), logged in after the grant. */
export async function accountWithRoles(app: TestApp, api: Client, roles: string[]) {
  const account: Account = await register(api);
  for (const role of roles) await grantRoleInDb(app, account.id, role);
  return { account, token: (await login(api, account)).access_token };
}
