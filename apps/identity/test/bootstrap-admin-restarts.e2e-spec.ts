import { login } from './support/accounts';
import { ADMIN_EMAIL, ADMIN_EMAIL_STORED, ADMIN_PASSWORD, BOOTSTRAP } from './support/bootstrap';
import { client } from './support/http';
import { startApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { admins, userCount } from './support/user-queries';

describe('the bootstrap admin (BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD)', () => {
  it('is not created again, nor does the start fail, on later starts on the same database', async () => {
    const database = await createTestDatabase();
    try {
      const first = await startApp(BOOTSTRAP, database);
      let adminId: string;
      let hash: string;
      try {
        [{ id: adminId }] = await admins(first);
        [{ password_hash: hash }] = await first.db.query(
          'SELECT password_hash FROM users WHERE id = $1',
          [adminId],
        );
      } finally {
        await first.stop();
      }

      // The same settings again: nothing new, nothing changed.
      const second = await startApp(BOOTSTRAP, database);
      try {
        expect(await admins(second)).toEqual([{ id: adminId, email: ADMIN_EMAIL_STORED }]);
        expect(await userCount(second)).toBe(1);
        const [row] = await second.db.query('SELECT password_hash FROM users WHERE id = $1', [
          adminId,
        ]);
        expect(row.password_hash).toBe(hash);
        await login(client(second.url), { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      } finally {
        await second.stop();
      }

      // Other bootstrap settings while an admin exists: still the one admin, no new user.
      const third = await startApp(
        {
          BOOTSTRAP_ADMIN_EMAIL: 'second.root@example.com',
          BOOTSTRAP_ADMIN_PASSWORD: 'an entirely different long passphrase',
        },
        database,
      );
      try {
        expect(await admins(third)).toEqual([{ id: adminId, email: ADMIN_EMAIL_STORED }]);
        const rows = await third.db.query('SELECT 1 FROM users WHERE email = $1', [
          'second.root@example.com',
        ]);
        expect(rows).toHaveLength(0);
        // The first admin's password was not replaced by the new setting.
        await login(client(third.url), { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
        const refused = await client(third.url).post('/v1/auth/login', {
          email: ADMIN_EMAIL,
          password: 'an entirely different long passphrase',
        });
        expect(refused.status).toBe(401);
      } finally {
        await third.stop();
      }

      // A weak bootstrap password no longer matters once an admin exists: the start succeeds.
      const fourth = await startApp(
        { BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: 'short' },
        database,
      );
      await fourth.stop();
    } finally {
      await database.drop();
    }
  });
});
