import { randomUUID } from 'node:crypto';
import { register } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, createRoleInDb } from './support/admin';
import { auditOf, USERS } from './support/admin-users';
import { creds } from './support/credentials';
import { mfaSuite } from './support/mfa-suite';
import { expectProblem } from './support/problem-details';
import { codeFor } from './support/totp';

describe('POST /v1/admin/users/:id/mfa/reset', () => {
  const { app, api, registerWithMfa, passwordStep, mfaStep, forgetUsedSteps } =
    mfaSuite(ADMIN_SUITE_ENV);
  let support: { account: { id: string }; token: string };

  beforeAll(async () => {
    await createRoleInDb(app, 'support', ['user:read', 'user:update']);
    support = await accountWithRoles(app, api, ['support']);
  });

  const reset = (id: string, token = support.token) =>
    api.post(`${USERS}/${id}/mfa/reset`, undefined, { token });

  async function storedFactors(userId: string) {
    const [row] = await app.db.query(
      `SELECT (SELECT count(*) FROM totp_factors WHERE user_id = $1)::int AS factors,
              (SELECT count(*) FROM recovery_codes WHERE user_id = $1)::int AS codes`,
      [userId],
    );
    return row;
  }

  it('removes the factor and recovery codes, so the user signs in with the password alone', async () => {
    const { account } = await registerWithMfa();
    const reply = await reset(account.id);

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: account.id, mfaEnabled: false });
    expect(await storedFactors(account.id)).toEqual({ factors: 0, codes: 0 });
    const login = await api.post('/v1/auth/login', creds(account));
    expect(login.status).toBe(200);
    expect(login.body).toHaveProperty('access_token');
    expect(await auditOf(app, reply)).toEqual([
      {
        type: 'mfa.reset',
        actorId: support.account.id,
        subjectId: account.id,
        outcome: 'success',
        details: { factorRemoved: true },
      },
    ]);
  });

  it('voids a sign-in that was waiting for a code', async () => {
    const { account, secret } = await registerWithMfa();
    const mfaToken = await passwordStep(account);
    await forgetUsedSteps(account.id);

    expect((await reset(account.id)).status).toBe(200);

    // Not invalid_code: the challenge itself is gone, whatever the proof.
    expectProblem(await mfaStep(mfaToken, { code: codeFor(secret) }), 401, 'invalid_mfa_token');
  });

  it('answers 200 for a user who had no second factor, and records that', async () => {
    const account = await register(api);
    const reply = await reset(account.id);
    expect(reply.status).toBe(200);
    expect(reply.body.mfaEnabled).toBe(false);
    const [event] = await auditOf(app, reply);
    expect(event.details).toEqual({ factorRemoved: false });
  });

  it('refuses to reset the second factor of an admin for a caller who is not one', async () => {
    const { account } = await registerWithMfa();
    await app.db.query(
      `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = 'admin'`,
      [account.id],
    );
    expectProblem(await reset(account.id), 403, 'forbidden');
    expect(await storedFactors(account.id)).toEqual({ factors: 1, codes: 10 });
  });

  it.each([randomUUID(), 'not-a-uuid'])('answers 404 not_found for the id %s', async (id) => {
    expectProblem(await reset(id), 404, 'not_found');
  });
});
