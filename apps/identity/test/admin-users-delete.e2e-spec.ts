import { randomUUID } from 'node:crypto';
import { login } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { auditOf, createUser, storedAccount, USERS } from './support/admin-users';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { enrollMfa } from './support/totp';
import { MFA_SUITE_LIMITS } from './support/totp';

describe('DELETE /v1/admin/users/:id', () => {
  const { app, api } = appForSuite({ ...ADMIN_SUITE_ENV, ...MFA_SUITE_LIMITS });
  let remover: { account: { id: string }; token: string };

  beforeAll(async () => {
    await createRoleInDb(app, 'remover', ['user:delete']);
    remover = await accountWithRoles(app, api, ['remover']);
  });

  const remove = (id: string, token = remover.token) =>
    api.delete(`${USERS}/${id}`, undefined, { token });

  async function leftovers(userId: string) {
    const [row] = await app.db.query(
      `SELECT (SELECT count(*) FROM sessions WHERE user_id = $1)::int AS sessions,
              (SELECT count(*) FROM totp_factors WHERE user_id = $1)::int AS factors,
              (SELECT count(*) FROM recovery_codes WHERE user_id = $1)::int AS codes,
              (SELECT count(*) FROM user_roles WHERE user_id = $1)::int AS roles`,
      [userId],
    );
    return row;
  }

  it('deletes the user with sessions, factors, codes and roles, and audits it without personal data', async () => {
    const user = await createUser(api, await adminToken(api));
    const tokens = await login(api, user);
    await enrollMfa(api, tokens.access_token);

    const reply = await remove(user.id);

    expect(reply.status).toBe(204);
    expect(await storedAccount(app, user.id)).toBeUndefined();
    expect(await leftovers(user.id)).toEqual({ sessions: 0, factors: 0, codes: 0, roles: 0 });
    expectProblem(await api.get('/v1/me', { token: tokens.access_token }), 401, 'unauthenticated');
    const events = await auditOf(app, reply);
    expect(events).toEqual([
      {
        type: 'user.deleted',
        actorId: remover.account.id,
        subjectId: user.id,
        outcome: 'success',
        details: { roles: ['user'] },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(user.email);
  });

  it('answers 404 when the user is deleted a second time', async () => {
    const user = await createUser(api, await adminToken(api));
    expect((await remove(user.id)).status).toBe(204);
    expectProblem(await remove(user.id), 404, 'not_found');
  });

  it('refuses to delete a user who holds permissions the caller lacks', async () => {
    await createRoleInDb(app, 'reporter', ['report:read']);
    const user = await createUser(api, await adminToken(api), { roles: ['reporter'] });
    expectProblem(await remove(user.id), 403, 'forbidden');
    expect(await storedAccount(app, user.id)).toBeDefined();
  });

  it('refuses to delete an admin for a caller who is not one', async () => {
    const admin = await createUser(api, await adminToken(api), { roles: ['admin'] });
    expectProblem(await remove(admin.id), 403, 'forbidden');
    expect(await storedAccount(app, admin.id)).toBeDefined();
  });

  it.each([randomUUID(), 'not-a-uuid'])('answers 404 not_found for the id %s', async (id) => {
    expectProblem(await remove(id), 404, 'not_found');
  });
});
