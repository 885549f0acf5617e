import { creds } from './support/credentials';
import { mfaSuite } from './support/mfa-suite';
import { expectProblem } from './support/problem-details';
import { expectRateLimited, WRONG_PASSWORD } from './support/rate-limits';
import { wrongCodeFor } from './support/totp';

const LIMIT = 3;
const WINDOW = 900;

describe('wrong proofs on the MFA settings routes and the per-account limit', () => {
  const { api, registerWithMfa } = mfaSuite({ LOGIN_ACCOUNT_LIMIT: `${LIMIT}/${WINDOW}` });

  it('counts wrong codes for turning MFA off, so a stolen token cannot guess its way', async () => {
    const { account, secret, tokens } = await registerWithMfa();
    const token = tokens.access_token;
    for (let i = 0; i < LIMIT; i++) {
      const reply = await api.delete('/v1/me/mfa/totp', { code: wrongCodeFor(secret) }, { token });
      expectProblem(reply, 400, 'invalid_code');
    }

    const refused = await api.delete('/v1/me/mfa/totp', { password: account.password }, { token });
    expectRateLimited(refused, WINDOW);
    expectRateLimited(await api.post('/v1/auth/login', creds(account)), WINDOW);
  });

  it('counts wrong passwords for new recovery codes on the same counter', async () => {
    const { account, tokens } = await registerWithMfa();
    const token = tokens.access_token;
    for (let i = 0; i < LIMIT; i++) {
      const reply = await api.post(
        '/v1/me/mfa/recovery-codes',
        { password: WRONG_PASSWORD },
        { token },
      );
      expectProblem(reply, 403, 'invalid_credentials');
    }

    expectRateLimited(await api.post('/v1/auth/login', creds(account)), WINDOW);
  });
});
