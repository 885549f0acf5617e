import { GOOD_PASSWORD } from './support/accounts';
import { expectProblem } from './support/problem-details';
import { codeFor, wrongCodeFor } from './support/totp';
import { mfaSuite } from './support/mfa-suite';

describe('the mfa_token: one success, five wrong codes, five minutes', () => {
  const suite = mfaSuite();
  const { app, api, forgetUsedSteps, loginWithMfa, mfaStep, passwordStep, registerWithMfa } = suite;

  /** Sends `count` wrong codes on one mfa_token, each answered 401 invalid_code. */
  async function spendWrongCodes(
    mfaToken: string,
    proof: Parameters<typeof mfaStep>[1],
    count: number,
  ) {
    for (let i = 0; i < count; i++) {
      expectProblem(await mfaStep(mfaToken, proof), 401, 'invalid_code');
    }
  }

  it('works once: a second success with a fresh code answers 401 invalid_mfa_token', async () => {
    const { account, secret } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const mfaToken = await passwordStep(account);
    expect((await mfaStep(mfaToken, { code: codeFor(secret) })).status).toBe(200);

    await forgetUsedSteps(account.id);
    const again = await mfaStep(mfaToken, { code: codeFor(secret) });

    expectProblem(again, 401, 'invalid_mfa_token');
    expect(again.body).not.toHaveProperty('access_token');
  });

  it('takes a right code after four wrong ones', async () => {
    const { account, secret } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const mfaToken = await passwordStep(account);
    await spendWrongCodes(mfaToken, { code: wrongCodeFor(secret) }, 4);

    expect((await mfaStep(mfaToken, { code: codeFor(secret) })).status).toBe(200);
  });

  it('dies after five wrong codes: even the right code then answers 401 and is not spent', async () => {
    const { account, secret } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const mfaToken = await passwordStep(account);
    await spendWrongCodes(mfaToken, { code: wrongCodeFor(secret) }, 5);
    const code = codeFor(secret);

    const reply = await mfaStep(mfaToken, { code });

    expectProblem(reply, 401, 'invalid_mfa_token');
    expect(reply.body).not.toHaveProperty('access_token');
    // A new login takes the very same code: the dead token did not spend it.
    expect((await mfaStep(await passwordStep(account), { code })).status).toBe(200);
  });

  it('checks no more than five of ten concurrent wrong codes on one token', async () => {
    const { account, secret } = await registerWithMfa();
    const mfaToken = await passwordStep(account);

    const replies = await Promise.all(
      Array.from({ length: 10 }, () => mfaStep(mfaToken, { code: wrongCodeFor(secret) })),
    );

    const answers = replies.map((reply) => `${reply.status} ${reply.body.code}`).sort();
    expect(answers).toEqual([
      ...Array.from({ length: 5 }, () => '401 invalid_code'),
      ...Array.from({ length: 5 }, () => '401 invalid_mfa_token'),
    ]);
    await forgetUsedSteps(account.id);
    expectProblem(await mfaStep(mfaToken, { code: codeFor(secret) }), 401, 'invalid_mfa_token');
  });

  it('counts wrong recovery codes against the same five', async () => {
    const { account, secret } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const mfaToken = await passwordStep(account);
    await spendWrongCodes(mfaToken, { recovery_code: 'aaaa-bbbb-cccc-dddd' }, 5);

    expectProblem(await mfaStep(mfaToken, { code: codeFor(secret) }), 401, 'invalid_mfa_token');
  });

  it('dies after five minutes', async () => {
    const { account, secret } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const mfaToken = await passwordStep(account);
    const [challenge] = await app.db.query(
      `SELECT extract(epoch FROM expires_at - created_at)::int AS seconds
       FROM mfa_challenges WHERE user_id = $1`,
      [account.id],
    );
    expect(challenge.seconds).toBeGreaterThan(290);
    expect(challenge.seconds).toBeLessThanOrEqual(300);

    await app.db.query(
      `UPDATE mfa_challenges SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [account.id],
    );

    expectProblem(await mfaStep(mfaToken, { code: codeFor(secret) }), 401, 'invalid_mfa_token');
  });

  it('is refused when it is not an mfa_token: garbled, or an access token', async () => {
    const { account, secret, tokens } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const mfaToken = await passwordStep(account);
    const [head, payload, signature] = mfaToken.split('.');
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;

    for (const token of [`${head}.${payload}.${flipped}`, tokens.access_token, 'not-a-token']) {
      const reply = await mfaStep(token, { code: codeFor(secret) });
      expectProblem(reply, 401, 'invalid_mfa_token');
    }
    // None of those spent the code: the real token takes it.
    expect((await mfaStep(mfaToken, { code: codeFor(secret) })).status).toBe(200);
  });

  it('dies when the password changes meanwhile', async () => {
    const { account, secret } = await registerWithMfa();
    const pending = await passwordStep(account);
    const other = await loginWithMfa(account, secret);
    const changed = await api.post(
      '/v1/me/password',
      { currentPassword: GOOD_PASSWORD, newPassword: 'a brand new passphrase, long enough' },
      { token: other.access_token },
    );
    expect(changed.status).toBe(204);
    await forgetUsedSteps(account.id);

    const reply = await mfaStep(pending, { code: codeFor(secret) });

    expectProblem(reply, 401, 'invalid_mfa_token');
    expect(reply.body).not.toHaveProperty('access_token');
  });
});
