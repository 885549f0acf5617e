import { randomUUID } from 'node:crypto';
import { auditByRequest } from './support/audit-queries';
import { expectProblem } from './support/problem-details';
import { ON_POSTGRES } from './support/test-database';
import { codeFor, STEP_MS, withinOneStep } from './support/totp';
import { mfaSuite } from './support/mfa-suite';

const PARALLEL = 5;

describe(`TOTP replay and drift (${ON_POSTGRES ? 'PostgreSQL' : 'PGlite'})`, () => {
  const { app, api, forgetUsedSteps, mfaStep, passwordStep, registerWithMfa } = mfaSuite();

  it('refuses in a login the code that confirmed the enrollment', async () => {
    const { account, enrollmentCode } = await registerWithMfa();

    const reply = await mfaStep(await passwordStep(account), { code: enrollmentCode });

    expectProblem(reply, 401, 'invalid_code');
    expect(reply.body).not.toHaveProperty('access_token');
  });

  it('refuses in a new login a code that an earlier login accepted, and records the replay', async () => {
    const { account, secret } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const code = codeFor(secret);
    expect((await mfaStep(await passwordStep(account), { code })).status).toBe(200);
    const requestId = `mfa-replay-${randomUUID()}`;

    const reply = await api.post(
      '/v1/auth/mfa',
      { mfa_token: await passwordStep(account), code },
      { headers: { 'x-request-id': requestId } },
    );

    expectProblem(reply, 401, 'invalid_code');
    const rows = await auditByRequest(app, requestId);
    expect(rows).toEqual([expect.objectContaining({ type: 'mfa.failed', subject_id: account.id })]);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it(`lets exactly one of ${PARALLEL} concurrent logins with the same code through`, async () => {
    const { account, secret } = await registerWithMfa();
    const mfaTokens = await Promise.all(
      Array.from({ length: PARALLEL }, () => passwordStep(account)),
    );
    await forgetUsedSteps(account.id);
    const code = codeFor(secret);

    const replies = await Promise.all(mfaTokens.map((token) => mfaStep(token, { code })));

    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    const losers = replies.filter((reply) => reply.status !== 200);
    expect(losers.map((reply) => [reply.status, reply.body.code])).toEqual(
      Array.from({ length: PARALLEL - 1 }, () => [401, 'invalid_code']),
    );
    const [sessions] = await app.db.query(
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND 'otp' = ANY(amr)`,
      [account.id],
    );
    expect(sessions.n).toBe(1);
  });

  it('refuses a code of an earlier step once a later step was accepted', async () => {
    const { account, secret } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const now = Date.now();
    const later = codeFor(secret, now + STEP_MS);
    const earlier = codeFor(secret, now);
    expect((await mfaStep(await passwordStep(account), { code: later })).status).toBe(200);

    const reply = await mfaStep(await passwordStep(account), { code: earlier });

    expectProblem(reply, 401, 'invalid_code');
  });

  it('refuses a code of an earlier step than the stored last accepted one', async () => {
    const { account, secret } = await registerWithMfa();
    const now = Date.now();
    // The row says a code of the next step was accepted; the current code is now too old.
    await app.db.query('UPDATE totp_factors SET last_used_step = $1 WHERE user_id = $2', [
      Math.floor(now / STEP_MS) + 1,
      account.id,
    ]);

    const reply = await mfaStep(await passwordStep(account), {
      code: codeFor(secret, now),
    });

    expectProblem(reply, 401, 'invalid_code');
  });

  it.each([
    { when: 'one step behind', steps: -1, status: 200 },
    { when: 'one step ahead', steps: 1, status: 200 },
    { when: 'two steps behind', steps: -2, status: 401 },
    { when: 'two steps ahead', steps: 2, status: 401 },
  ])(
    'answers $status to a code $when (drift of one step each way, not two)',
    async ({ steps, status }) => {
      const { account, secret } = await registerWithMfa();

      const reply = await withinOneStep(async () => {
        await forgetUsedSteps(account.id);
        const mfaToken = await passwordStep(account);
        return mfaStep(mfaToken, { code: codeFor(secret, Date.now() + steps * STEP_MS) });
      });

      expect(reply.status).toBe(status);
      if (status === 401) expectProblem(reply, 401, 'invalid_code');
    },
  );
});
