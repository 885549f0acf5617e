import { creds } from './support/credentials';
import { mfaSuite } from './support/mfa-suite';
import { expectProblem } from './support/problem-details';
import { expectRateLimited, WRONG_PASSWORD } from './support/rate-limits';
import { codeFor, wrongCodeFor } from './support/totp';

const LIMIT = 3;
const WINDOW = 900;

describe('wrong MFA codes and the per-account limit (LOGIN_ACCOUNT_LIMIT)', () => {
  const { api, forgetUsedSteps, mfaStep, passwordStep, registerWithMfa } = mfaSuite({
    LOGIN_ACCOUNT_LIMIT: `${LIMIT}/${WINDOW}`,
  });

  it('counts wrong codes against the account: then both login steps answer 429', async () => {
    const { account, secret } = await registerWithMfa();
    const mfaToken = await passwordStep(account);
    for (let i = 0; i < LIMIT; i++) {
      expectProblem(await mfaStep(mfaToken, { code: wrongCodeFor(secret) }), 401, 'invalid_code');
    }
    await forgetUsedSteps(account.id);

    expectRateLimited(await mfaStep(mfaToken, { code: codeFor(secret) }), WINDOW);
    expectRateLimited(await api.post('/v1/auth/login', creds(account)), WINDOW);
  });

  it('counts wrong passwords and wrong codes on one counter', async () => {
    const { account, secret } = await registerWithMfa();
    const mfaToken = await passwordStep(account);
    for (let i = 0; i < LIMIT - 1; i++) {
      const reply = await api.post('/v1/auth/login', {
        ...creds(account),
        password: WRONG_PASSWORD,
      });
      expectProblem(reply, 401, 'invalid_credentials');
    }
    expectProblem(await mfaStep(mfaToken, { code: wrongCodeFor(secret) }), 401, 'invalid_code');

    expectRateLimited(await api.post('/v1/auth/login', creds(account)), WINDOW);
  });

  it('counts wrong recovery codes too', async () => {
    const { account } = await registerWithMfa();
    const mfaToken = await passwordStep(account);
    for (let i = 0; i < LIMIT; i++) {
      const reply = await mfaStep(mfaToken, { recovery_code: 'aaaa-bbbb-cccc' });
      expectProblem(reply, 401, 'invalid_code');
    }

    expectRateLimited(await api.post('/v1/auth/login', creds(account)), WINDOW);
  });

  it('does not count a right code', async () => {
    const { account, secret } = await registerWithMfa();
    for (let i = 0; i < LIMIT + 1; i++) {
      await forgetUsedSteps(account.id);
      const reply = await mfaStep(await passwordStep(account), { code: codeFor(secret) });
      expect(reply.status).toBe(200);
    }
  });
});
