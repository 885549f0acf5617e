import { GOOD_PASSWORD, login, register } from './support/accounts';
import { ADMIN_EMAIL, ADMIN_EMAIL_STORED, ADMIN_PASSWORD, BOOTSTRAP } from './support/bootstrap';
import { client } from './support/http';
import { startApp, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { admins, rolesOf, userCount } from './support/user-queries';

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

describe('the bootstrap admin (BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD)', () => {
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
});
