import { randomUUID } from 'node:crypto';
import { GOOD_PASSWORD, register } from './support/accounts';
import { auditByRequest } from './support/audit-queries';
import { creds } from './support/credentials';
import type { Account } from './support/accounts';
import { expectProblem } from './support/problem-details';
import { codeFor, wrongCodeFor } from './support/totp';
import { mfaSuite } from './support/mfa-suite';

describe('turning MFA off (DELETE /v1/me/mfa/totp)', () => {
  const { app, api, forgetUsedSteps, registerWithMfa } = mfaSuite();

  const disable = (token: string, body: unknown, headers: Record<string, string> = {}) =>
    api.delete('/v1/me/mfa/totp', body, { token, headers });

  /** Expects login to answer tokens at once and /v1/me to say mfaEnabled false. */
  async function expectPasswordOnly(account: Account) {
    const login = await api.post('/v1/auth/login', creds(account));
    expect(login.status).toBe(200);
    expect(login.body).not.toHaveProperty('mfa_token');
    const me = await api.get('/v1/me', { token: login.body.access_token });
    expect(me.body.mfaEnabled).toBe(false);
  }

  /** Expects the account back to password-only, with no factor and no recovery code stored. */
  async function expectMfaOff(account: Account) {
    await expectPasswordOnly(account);
    const [rows] = await app.db.query(
      `SELECT (SELECT count(*) FROM totp_factors WHERE user_id = $1)::int AS factors,
              (SELECT count(*) FROM recovery_codes WHERE user_id = $1)::int AS codes`,
      [account.id],
    );
    expect(rows).toEqual({ factors: 0, codes: 0 });
  }

  /** Expects MFA still on: login asks for a second factor. */
  async function expectMfaOn(account: Account) {
    const login = await api.post('/v1/auth/login', creds(account));
    expect(login.body).toMatchObject({ mfa_required: true });
  }

  it.each([
    { proof: 'a current code', kind: 'code' },
    { proof: 'the password', kind: 'password' },
  ])('answers 204 to $proof and signs in with the password alone after', async ({ kind }) => {
    const { account, secret, tokens } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const body = kind === 'code' ? { code: codeFor(secret) } : { password: GOOD_PASSWORD };
    const requestId = `mfa-off-${randomUUID()}`;

    const reply = await disable(tokens.access_token, body, { 'x-request-id': requestId });

    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    await expectMfaOff(account);
    const rows = await auditByRequest(app, requestId);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'mfa.disabled', outcome: 'success', actor_id: account.id }),
      ]),
    );
    expect(JSON.stringify(rows)).not.toContain(GOOD_PASSWORD);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it.each([
    { what: 'a wrong code', body: 'wrong-code', status: 400, code: 'invalid_code' },
    { what: 'the code already used', body: 'used-code', status: 400, code: 'invalid_code' },
    { what: 'a wrong password', body: 'wrong-password', status: 403, code: 'invalid_credentials' },
    { what: 'neither code nor password', body: 'none', status: 400, code: 'validation_failed' },
    { what: 'both code and password', body: 'both', status: 400, code: 'validation_failed' },
  ])('answers $status $code to $what and leaves MFA on', async ({ body, status, code }) => {
    const { account, secret, tokens, enrollmentCode } = await registerWithMfa();
    const bodies: Record<string, object> = {
      'wrong-code': { code: wrongCodeFor(secret) },
      'used-code': { code: enrollmentCode },
      'wrong-password': { password: 'not the password of this account' },
      none: {},
      both: { code: codeFor(secret, Date.now() + 30_000), password: GOOD_PASSWORD },
    };

    expectProblem(await disable(tokens.access_token, bodies[body]), status, code);

    await expectMfaOn(account);
    const me = await api.get('/v1/me', { token: tokens.access_token });
    expect(me.body.mfaEnabled).toBe(true);
  });

  it('answers 404 mfa_not_enabled when MFA is not on', async () => {
    const account = await register(api);
    const login = await api.post('/v1/auth/login', creds(account));
    const reply = await disable(login.body.access_token, { password: GOOD_PASSWORD });
    expectProblem(reply, 404, 'mfa_not_enabled');
  });

  it('lets the user enroll a new authenticator after turning MFA off', async () => {
    const { account, secret, tokens } = await registerWithMfa();
    expect((await disable(tokens.access_token, { password: GOOD_PASSWORD })).status).toBe(204);

    const again = await api.post('/v1/me/mfa/totp', undefined, { token: tokens.access_token });

    expect(again.status).toBe(201);
    expect(again.body.secret).not.toBe(secret);
    // Pending until confirmed: login still takes the password alone.
    await expectPasswordOnly(account);
  });
});
