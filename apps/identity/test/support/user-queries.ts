import type { TestApp } from './test-app';

/** What the app stores for `email` (normalised), read straight from its database. */
export async function storedUsers(app: TestApp, email: string) {
  return app.db.query<{ id: string; email: string; password_hash: string }[]>(
    'SELECT id, email, password_hash FROM users WHERE email = $1',
    [email],
  );
}

export async function storedHash(app: TestApp, userId: string): Promise<string> {
  const [row] = await app.db.query('SELECT password_hash FROM users WHERE id = $1', [userId]);
  return row.password_hash;
}

export async function userCount(app: TestApp): Promise<number> {
  const [row] = await app.db.query('SELECT count(*)::int AS n FROM users');
  return row.n;
}

/** The names of the roles a user holds, sorted. */
export async function rolesOf(app: TestApp, userId: string): Promise<string[]> {
  const rows: { name: string }[] = await app.db.query(
    `SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
     WHERE ur.user_id = $1 ORDER BY r.name`,
    [userId],
  );
  return rows.map((r) => r.name);
}

/** Every user that holds the admin role. */
export async function admins(app: TestApp) {
  return app.db.query<{ id: string; email: string }[]>(
    `SELECT u.id, u.email FROM users u JOIN user_roles ur ON ur.user_id = u.id
     JOIN roles r ON r.id = ur.role_id WHERE r.name = 'admin'`,
  );
}
