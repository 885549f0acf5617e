import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { GOOD_PASSWORD } from './support/accounts';
import { auditByRequest } from './support/audit-queries';
import { expectProblem } from './support/problem-details';
import { ON_POSTGRES } from './support/test-database';
import { codeFor, wrongCodeFor } from './support/totp';
import { mfaSuite } from './support/mfa-suite';
import type { Account } from './support/accounts';

const PARALLEL = 5;

describe(`recovery codes (${ON_POSTGRES ? 'PostgreSQL' : 'PGlite'})`, () => {
  const { app, api, forgetUsedSteps, mfaStep, passwordStep, registerWithMfa } = mfaSuite();

  const useCode = async (account: Account, code: string) =>
    mfaStep(await passwordStep(account), { recovery_code: code });

  it('signs in once with a recovery code (amr pwd+otp), records it, and refuses it after', async () => {
    const { account, recoveryCodes } = await registerWithMfa();
    const [code] = recoveryCodes;
    const requestId = `recovery-${randomUUID()}`;

    const reply = await api.post(
      '/v1/auth/mfa',
      { mfa_token: await passwordStep(account), recovery_code: code },
      { headers: { 'x-request-id': requestId } },
    );

    expect(reply.status).toBe(200);
    expect(decodeJwt(reply.body.access_token).amr).toEqual(['pwd', 'otp']);
    expect((await api.get('/v1/me', { token: reply.body.access_token })).status).toBe(200);
    const rows = await auditByRequest(app, requestId);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'mfa.recovery_code_used',
          outcome: 'success',
          subject_id: account.id,
        }),
      ]),
    );
    const audited = JSON.stringify(rows).toLowerCase();
    expect(audited).not.toContain(code.toLowerCase());
    expect(audited).not.toContain(code.replace(/-/g, '').toLowerCase());

    expectProblem(await useCode(account, code), 401, 'invalid_code');
    // The other nine still work.
    expect((await useCode(account, recoveryCodes[1])).status).toBe(200);
  });

  it('takes a recovery code typed in upper case and without dashes', async () => {
    const { account, recoveryCodes } = await registerWithMfa();
    const typed = recoveryCodes[0].replace(/-/g, '').toUpperCase();
    expect((await useCode(account, typed)).status).toBe(200);
    expectProblem(await useCode(account, recoveryCodes[0]), 401, 'invalid_code');
  });

  it('does not take one user\u2019s recovery code for another user', async () => {
    const alice = await registerWithMfa();
    const bob = await registerWithMfa();
    expectProblem(await useCode(bob.account, alice.recoveryCodes[0]), 401, 'invalid_code');
    expect((await useCode(alice.account, alice.recoveryCodes[0])).status).toBe(200);
  });

  it(`lets exactly one of ${PARALLEL} concurrent uses of one recovery code through`, async () => {
    const { account, recoveryCodes } = await registerWithMfa();
    const mfaTokens = await Promise.all(
      Array.from({ length: PARALLEL }, () => passwordStep(account)),
    );

    const replies = await Promise.all(
      mfaTokens.map((token) => mfaStep(token, { recovery_code: recoveryCodes[0] })),
    );

    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status !== 200).map((r) => [r.status, r.body.code])).toEqual(
      Array.from({ length: PARALLEL - 1 }, () => [401, 'invalid_code']),
    );
    const [used] = await app.db.query(
      'SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL',
      [account.id],
    );
    expect(used.n).toBe(1);
  });

  describe('POST /v1/me/mfa/recovery-codes', () => {
    it.each([
      ['a current code', 'code'],
      ['the password', 'password'],
    ])(
      'replaces the set when proven with %s: old codes stop working, new ones work',
      async (_, kind) => {
        const { account, secret, tokens, recoveryCodes: old } = await registerWithMfa();
        await forgetUsedSteps(account.id);
        const proof = kind === 'code' ? { code: codeFor(secret) } : { password: GOOD_PASSWORD };

        const reply = await api.post('/v1/me/mfa/recovery-codes', proof, {
          token: tokens.access_token,
        });

        expect(reply.status).toBe(200);
        expect(reply.headers.get('cache-control')).toMatch(/no-store/);
        const fresh: string[] = reply.body.recoveryCodes;
        expect(fresh).toHaveLength(10);
        expect(new Set([...fresh, ...old]).size).toBe(20);
        expectProblem(await useCode(account, old[0]), 401, 'invalid_code');
        expect((await useCode(account, fresh[0])).status).toBe(200);
        const [row] = await app.db.query(
          `SELECT count(*)::int AS n FROM audit_events
         WHERE type = 'mfa.recovery_codes_regenerated' AND subject_id = $1`,
          [account.id],
        );
        expect(row.n).toBe(1);
      },
    );

    it.each([
      { what: 'a wrong code', kind: 'code', status: 400, code: 'invalid_code' },
      { what: 'a wrong password', kind: 'password', status: 403, code: 'invalid_credentials' },
      { what: 'no proof', kind: 'none', status: 400, code: 'validation_failed' },
    ])('answers $status $code to $what and keeps the old codes', async ({ kind, status, code }) => {
      const { secret, tokens, account, recoveryCodes } = await registerWithMfa();
      const proof =
        kind === 'code'
          ? { code: wrongCodeFor(secret) }
          : kind === 'password'
            ? { password: 'not the password of this account' }
            : {};

      const reply = await api.post('/v1/me/mfa/recovery-codes', proof, {
        token: tokens.access_token,
      });

      expectProblem(reply, status, code);
      expect(reply.body).not.toHaveProperty('recoveryCodes');
      expect((await useCode(account, recoveryCodes[0])).status).toBe(200);
    });
  });
});
