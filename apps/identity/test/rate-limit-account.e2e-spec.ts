import { randomUUID } from 'node:crypto';
import { uniqueEmail } from './support/accounts';
import { auditByRequest } from './support/audit-queries';
import { creds } from './support/credentials';
import { fullwidth } from './support/fullwidth';
import { expectProblem } from './support/problem-details';
import {
  expectRateLimited,
  from,
  loginFrom,
  registerFromElsewhere,
  uniqueIp,
} from './support/rate-limits';
import { appForSuite } from './support/suite-app';

const LIMIT = 3;
const WINDOW = 900;

describe('the per-account limit of logins (LOGIN_ACCOUNT_LIMIT)', () => {
  const { app, api } = appForSuite({
    LOGIN_ACCOUNT_LIMIT: `${LIMIT}/${WINDOW}`,
    TRUST_PROXY: '127.0.0.1',
  });

  /** `count` wrong-password logins for `email`, each from a new IP; each must answer 401. */
  async function failLogins(email: string, count = LIMIT) {
    for (let i = 0; i < count; i++) {
      expectProblem(await loginFrom(api, uniqueIp(), email), 401, 'invalid_credentials');
    }
  }

  it('refuses the right password with 429 after three wrong ones, from any IP', async () => {
    const account = await registerFromElsewhere(api);
    const attacker = uniqueIp();
    for (let i = 0; i < LIMIT; i++) {
      expectProblem(await loginFrom(api, attacker, account.email), 401, 'invalid_credentials');
    }

    const again = await api.post('/v1/auth/login', creds(account), from(attacker));
    const owner = await api.post('/v1/auth/login', creds(account), from(uniqueIp()));

    expectRateLimited(again, WINDOW);
    expectRateLimited(owner, WINDOW);
    expect(owner.body).not.toHaveProperty('access_token');
  });

  it('leaves the other accounts alone', async () => {
    const locked = await registerFromElsewhere(api);
    const other = await registerFromElsewhere(api);
    await failLogins(locked.email);

    const reply = await api.post('/v1/auth/login', creds(other), from(uniqueIp()));

    expect(reply.status).toBe(200);
  });

  it('answers an email without an account with the very same 429', async () => {
    const account = await registerFromElsewhere(api);
    const nobody = uniqueEmail('nobody');
    await failLogins(account.email);
    await failLogins(nobody);

    const known = await api.post('/v1/auth/login', creds(account), from(uniqueIp()));
    const unknown = await loginFrom(api, uniqueIp(), nobody, account.password);

    expectRateLimited(unknown, WINDOW);
    expect(unknown.status).toBe(known.status);
    expect(unknown.text).toBe(known.text);
    const headers = (reply: typeof known) =>
      [...reply.headers.keys()].filter((name) => !['date', 'x-request-id'].includes(name));
    expect(headers(unknown)).toEqual(headers(known));
    expect(unknown.headers.get('content-type')).toBe(known.headers.get('content-type'));
  });

  it('counts every spelling of one email on one counter', async () => {
    const account = await registerFromElsewhere(api);
    const [local, domain] = account.email.split('@');
    await failLogins(`  ${account.email.toUpperCase()} `, 1);
    await failLogins(`${fullwidth(local)}@${domain}`, 1);
    await failLogins(account.email, 1);

    expectRateLimited(await api.post('/v1/auth/login', creds(account), from(uniqueIp())), WINDOW);
  });

  it('keeps counting after a successful login: a window is a window', async () => {
    const account = await registerFromElsewhere(api);
    await failLogins(account.email, LIMIT - 1);
    expect((await api.post('/v1/auth/login', creds(account), from(uniqueIp()))).status).toBe(200);
    await failLogins(account.email, 1);

    expectRateLimited(await api.post('/v1/auth/login', creds(account), from(uniqueIp())), WINDOW);
  });

  it('counts the logins of a disabled account', async () => {
    const account = await registerFromElsewhere(api);
    await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [account.id]);
    for (let i = 0; i < LIMIT; i++) {
      const reply = await api.post('/v1/auth/login', creds(account), from(uniqueIp()));
      expectProblem(reply, 401, 'invalid_credentials');
    }

    expectRateLimited(await api.post('/v1/auth/login', creds(account), from(uniqueIp())), WINDOW);
  });

  it('refuses before checking the password, and audits the refusal without the email', async () => {
    const account = await registerFromElsewhere(api);
    await failLogins(account.email);
    const requestId = randomUUID();

    const reply = await api.post(
      '/v1/auth/login',
      creds(account),
      from(uniqueIp(), { headers: { 'x-request-id': requestId } }),
    );

    expect(reply.status).toBe(429);
    const events = await auditByRequest(app, requestId);
    expect(events).toEqual([
      expect.objectContaining({ type: 'rate_limited', details: { limit: 'login_account' } }),
    ]);
    expect(JSON.stringify(events)).not.toContain(account.email);
  });
});
