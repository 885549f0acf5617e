import { decodeJwt } from 'jose';
import { GOOD_PASSWORD, login, register } from './support/accounts';
import { client } from './support/http';
import { startApp, TestApp } from './support/test-app';
import { createTestDatabase, ON_POSTGRES, TestDatabase } from './support/test-database';

/** Starts with `env` on `database`, expecting the start to fail; returns its error. */
async function startRefused(env: Record<string, string>, database: TestDatabase): Promise<Error> {
  let started: TestApp;
  try {
    started = await startApp(env, database);
  } catch (error) {
    return error as Error;
  }
  await started.stop();
  throw new Error('the start succeeded; it was expected to be refused');
}

const ADMIN_EMAIL = 'Root.Admin@Example.COM';
const ADMIN_EMAIL_STORED = 'root.admin@example.com';
const ADMIN_PASSWORD = 'keys to the kingdom, kept safe';
const BOOTSTRAP = { BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD };

async function admins(app: TestApp) {
  return app.db.query<{ id: string; email: string }[]>(
    `SELECT u.id, u.email FROM users u JOIN user_roles ur ON ur.user_id = u.id
     JOIN roles r ON r.id = ur.role_id WHERE r.name = 'admin'`,
  );
}

async function rolesOf(app: TestApp, userId: string): Promise<string[]> {
  const rows: { name: string }[] = await app.db.query(
    `SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
     WHERE ur.user_id = $1 ORDER BY r.name`,
    [userId],
  );
  return rows.map((r) => r.name);
}

async function userCount(app: TestApp): Promise<number> {
  const [row] = await app.db.query('SELECT count(*)::int AS n FROM users');
  return row.n;
}

describe('the bootstrap admin (BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD)', () => {
  it('exists after the first start with roles admin and user, and logs in', async () => {
    const app = await startApp(BOOTSTRAP);
    try {
      const api = client(app.url);
      const found = await admins(app);
      expect(found).toHaveLength(1);
      expect(found[0].email).toBe(ADMIN_EMAIL_STORED);
      expect(await rolesOf(app, found[0].id)).toEqual(['admin', 'user']);

      const [row] = await app.db.query(
        'SELECT password_hash, disabled_at FROM users WHERE id = $1',
        [found[0].id],
      );
      expect(row.disabled_at).toBeNull();
      expect(row.password_hash).toMatch(/^\$bcrypt-sha256\$\$2b\$10\$/);
      expect(row.password_hash).not.toContain(ADMIN_PASSWORD);

      // Any form of the configured email logs in with the configured password.
      for (const email of [ADMIN_EMAIL, ADMIN_EMAIL_STORED]) {
        const tokens = await login(api, { email, password: ADMIN_PASSWORD });
        const claims = decodeJwt(tokens.access_token);
        expect(claims.sub).toBe(found[0].id);
        expect([...(claims.roles as string[])].sort()).toEqual(['admin', 'user']);
      }
      const tokens = await login(api, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      const me = await api.get('/v1/me', { token: tokens.access_token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: ADMIN_EMAIL_STORED });
      expect([...me.body.roles].sort()).toEqual(['admin', 'user']);

      // A wrong password is refused like any other account's.
      const wrong = await api.post('/v1/auth/login', {
        email: ADMIN_EMAIL,
        password: 'not the kingdom keys at all',
      });
      expect({ status: wrong.status, code: wrong.body?.code }).toEqual({
        status: 401,
        code: 'invalid_credentials',
      });

      // Its creation is audited, without the password.
      const audit = await app.db.query(
        `SELECT * FROM audit_events WHERE type = 'user.created' AND subject_id = $1`,
        [found[0].id],
      );
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(ADMIN_PASSWORD);
    } finally {
      await app.close();
    }
  });

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

  it('does nothing without the settings: registration does not make admins', async () => {
    const app = await startApp();
    try {
      const api = client(app.url);
      const account = await register(api);
      expect(await admins(app)).toEqual([]);
      expect(await rolesOf(app, account.id)).toEqual(['user']);
    } finally {
      await app.close();
    }
  });

  it.each([
    ['too short', 'short pass'],
    ['common', '1qaz2wsx3edc4rfv'],
  ])('stops the start when the bootstrap password is %s', async (_, password) => {
    const database = await createTestDatabase();
    try {
      const error = await startRefused(
        { BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: password },
        database,
      );
      // The error names the setting, never its value.
      expect(error.message).toMatch(/BOOTSTRAP_ADMIN_PASSWORD/);
      expect(error.message).not.toContain(password);
      // Nothing was created: a later start without the settings finds no user at all.
      const after = await startApp({}, database);
      try {
        expect(await userCount(after)).toBe(0);
      } finally {
        await after.stop();
      }
    } finally {
      await database.drop();
    }
  });

  it('stops the start when the bootstrap email is not an email address', async () => {
    const database = await createTestDatabase();
    try {
      const error = await startRefused(
        { BOOTSTRAP_ADMIN_EMAIL: 'root-at-example', BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD },
        database,
      );
      expect(error.message).toMatch(/BOOTSTRAP_ADMIN_EMAIL/);
      expect(error.message).not.toContain(ADMIN_PASSWORD);
    } finally {
      await database.drop();
    }
  });

  it('stops the start when only one of the two settings is given', async () => {
    const database = await createTestDatabase();
    try {
      const withoutPassword = await startRefused({ BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL }, database);
      expect(withoutPassword.message).toMatch(/BOOTSTRAP_ADMIN/);
      const withoutEmail = await startRefused(
        { BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD },
        database,
      );
      expect(withoutEmail.message).toMatch(/BOOTSTRAP_ADMIN/);
      expect(withoutEmail.message).not.toContain(ADMIN_PASSWORD);
    } finally {
      await database.drop();
    }
  });

  it('refuses to start, naming the setting, rather than promote an existing account', async () => {
    const database = await createTestDatabase();
    try {
      const plain = await startApp({}, database);
      let userId: string;
      try {
        userId = (await register(client(plain.url), ADMIN_EMAIL_STORED, GOOD_PASSWORD)).id;
      } finally {
        await plain.stop();
      }

      const refusal = await startRefused(BOOTSTRAP, database);
      expect(refusal.message).toContain('BOOTSTRAP_ADMIN_EMAIL');
      expect(refusal.message).not.toContain(ADMIN_PASSWORD);

      const check = await startApp({}, database);
      try {
        expect(await admins(check)).toEqual([]);
        expect(await rolesOf(check, userId)).toEqual(['user']);
        const api = client(check.url);
        const refused = await api.post('/v1/auth/login', {
          email: ADMIN_EMAIL,
          password: ADMIN_PASSWORD,
        });
        expect(refused.status).toBe(401);
        await login(api, { email: ADMIN_EMAIL, password: GOOD_PASSWORD });
      } finally {
        await check.stop();
      }
    } finally {
      await database.drop();
    }
  });

  (ON_POSTGRES ? it : it.skip)(
    'creates exactly one admin when two instances start at once on one database',
    async () => {
      const database = await createTestDatabase();
      try {
        const [a, b] = await Promise.all([
          startApp(BOOTSTRAP, database),
          startApp(BOOTSTRAP, database),
        ]);
        try {
          expect(await admins(a)).toHaveLength(1);
          expect(await userCount(b)).toBe(1);
        } finally {
          await Promise.all([a.stop(), b.stop()]);
        }
      } finally {
        await database.drop();
      }
    },
  );
});
