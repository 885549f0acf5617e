import { GOOD_PASSWORD, login, uniqueEmail } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { auditOf, storedAccount, USERS } from './support/admin-users';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { rolesOf, storedUsers } from './support/user-queries';

describe('POST /v1/admin/users', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let creator: { account: { id: string }; token: string };

  beforeAll(async () => {
    await createRoleInDb(app, 'creator', ['user:create', 'user:read']);
    await createRoleInDb(app, 'reader', ['user:read']);
    await createRoleInDb(app, 'operator', ['user:read', 'user:update']);
    creator = await accountWithRoles(app, api, ['creator']);
  });

  it('creates a user who can sign in with the given password, and audits it', async () => {
    const email = uniqueEmail('Created');
    const reply = await api.post(
      USERS,
      { email: `  ${email.toUpperCase()} `, password: GOOD_PASSWORD, displayName: ' Ada ' },
      { token: creator.token },
    );

    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      email: email.toLowerCase(),
      displayName: 'Ada',
      roles: ['user'],
      mfaEnabled: false,
      disabled: false,
    });
    expect(reply.text).not.toContain(GOOD_PASSWORD);
    expect(reply.text).not.toMatch(/\$2[aby]\$|argon2/);
    expect(await login(api, { email, password: GOOD_PASSWORD })).toHaveProperty('access_token');
    expect(await auditOf(app, reply)).toEqual([
      {
        type: 'user.created',
        actorId: creator.account.id,
        subjectId: reply.body.id,
        outcome: 'success',
        details: { via: 'admin', roles: ['user'], passwordSet: true },
      },
    ]);
  });

  it('creates a user without a password who cannot sign in until one is set', async () => {
    const email = uniqueEmail('nopass');
    const reply = await api.post(USERS, { email }, { token: creator.token });

    expect(reply.status).toBe(201);
    expect((await storedAccount(app, reply.body.id))?.has_password).toBe(false);
    const attempt = await api.post('/v1/auth/login', { email, password: GOOD_PASSWORD });
    expectProblem(attempt, 401, 'invalid_credentials');
    const [event] = await auditOf(app, reply);
    expect(event.details).toEqual({ via: 'admin', roles: ['user'], passwordSet: false });
  });

  it('gives the listed roles besides user when the caller holds their permissions', async () => {
    const reply = await api.post(
      USERS,
      { email: uniqueEmail(), roles: ['reader', 'user', 'reader'] },
      { token: creator.token },
    );
    expect(reply.status).toBe(201);
    expect(reply.body.roles).toEqual(['reader', 'user']);
    expect(await rolesOf(app, reply.body.id)).toEqual(['reader', 'user']);
  });

  it('lets an admin create another admin', async () => {
    const reply = await api.post(
      USERS,
      { email: uniqueEmail(), roles: ['admin'] },
      { token: await adminToken(api) },
    );
    expect(reply.status).toBe(201);
    expect(await rolesOf(app, reply.body.id)).toEqual(['admin', 'user']);
  });

  it.each([
    ['admin', ['admin']],
    ['a role with a permission the caller lacks', ['operator']],
  ])('refuses to grant %s with 403 and stores nobody', async (_, roles) => {
    const email = uniqueEmail('escalate');
    const reply = await api.post(USERS, { email, roles }, { token: creator.token });
    expectProblem(reply, 403, 'forbidden');
    expect(await storedUsers(app, email.toLowerCase())).toHaveLength(0);
  });

  it('refuses an unknown role with 400 and stores nobody', async () => {
    const email = uniqueEmail('unknown-role');
    const reply = await api.post(
      USERS,
      { email, roles: ['no-such-role'] },
      { token: creator.token },
    );
    expectFieldErrors(reply, 'roles');
    expect(await storedUsers(app, email.toLowerCase())).toHaveLength(0);
  });

  it('answers 409 email_taken for an email in use in any case or form', async () => {
    const email = uniqueEmail('taken');
    expect((await api.post(USERS, { email }, { token: creator.token })).status).toBe(201);
    const again = await api.post(
      USERS,
      { email: ` ${email.toUpperCase()}` },
      { token: creator.token },
    );
    expectProblem(again, 409, 'email_taken');
    expect(await storedUsers(app, email.toLowerCase())).toHaveLength(1);
  });

  it.each([
    ['a password under the policy length', { password: 'short' }, 'password'],
    ['a common password', { password: '1qaz2wsx3edc4rfv' }, 'password'],
    ['an email that is no address', { email: 'not an email' }, 'email'],
    ['a display name with control characters', { displayName: 'Eve\u001b[31m' }, 'displayName'],
    ['roles that are not a list', { roles: 'admin' }, 'roles'],
    ['a disabled flag', { disabled: true }, 'disabled'],
    ['an id', { id: '00000000-0000-4000-8000-000000000001' }, 'id'],
    ['a password hash', { passwordHash: '$2b$10$abcdefghijklmnopqrstuv' }, 'passwordHash'],
  ])('refuses %s with 400 and stores nobody', async (_, extra, field) => {
    const email = uniqueEmail('invalid');
    const reply = await api.post(USERS, { email, ...extra }, { token: creator.token });
    expectProblem(reply, 400, 'validation_failed');
    expect(reply.body.errors).toEqual(
      expect.arrayContaining([{ field, message: expect.any(String) }]),
    );
    expect(await storedUsers(app, email.toLowerCase())).toHaveLength(0);
  });
});
