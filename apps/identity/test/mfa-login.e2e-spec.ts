import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { auditByRequest } from './support/audit-queries';
import { creds } from './support/credentials';
import { expectProblem } from './support/problem-details';
import { codeFor, wrongCodeFor } from './support/totp';
import { mfaSuite } from './support/mfa-suite';

describe('login with MFA on (POST /v1/auth/login, then POST /v1/auth/mfa)', () => {
  const { app, api, forgetUsedSteps, mfaStep, passwordStep, registerWithMfa } = mfaSuite();

  it('answers the password step with an mfa_token and the methods, and no token', async () => {
    const { account } = await registerWithMfa();

    const reply = await api.post('/v1/auth/login', creds(account));

    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toMatch(/no-store/);
    expect(reply.body).toEqual({
      mfa_required: true,
      mfa_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      methods: ['totp', 'recovery_code'],
    });
    expect(reply.text).not.toMatch(/access_token|refresh_token/);
  });

  it('refuses the mfa_token as a bearer token and as a refresh token', async () => {
    const { account } = await registerWithMfa();
    const mfaToken = await passwordStep(account);

    const me = await api.get('/v1/me', { token: mfaToken });
    expectProblem(me, 401, 'unauthenticated');
    expect(me.headers.get('www-authenticate')).toMatch(/^Bearer\b/);

    const refreshed = await api.post('/oauth/token', undefined, {
      form: { grant_type: 'refresh_token', refresh_token: mfaToken },
    });
    expect({ status: refreshed.status, error: refreshed.body?.error }).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('answers a current code with tokens whose amr is pwd+otp, which work on /v1/me', async () => {
    const { account, secret } = await registerWithMfa();
    await forgetUsedSteps(account.id);

    const reply = await mfaStep(await passwordStep(account), { code: codeFor(secret) });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toMatch(/no-store/);
    expect(reply.body).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
    });
    const claims = decodeJwt(reply.body.access_token);
    expect(claims.amr).toEqual(['pwd', 'otp']);
    expect(claims.sub).toBe(account.id);

    const me = await api.get('/v1/me', { token: reply.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: account.id, mfaEnabled: true });
    const sessions = await api.get('/v1/me/sessions', { token: reply.body.access_token });
    const current = sessions.body.items.find((s: { current: boolean }) => s.current);
    expect(current.amr).toEqual(['pwd', 'otp']);
  });

  it('does not take one user\u2019s code for another user\u2019s mfa_token', async () => {
    const alice = await registerWithMfa();
    const bob = await registerWithMfa();
    await forgetUsedSteps(alice.account.id);
    await forgetUsedSteps(bob.account.id);
    const aliceCode = codeFor(alice.secret);
    const bobToken = await passwordStep(bob.account);

    expectProblem(await mfaStep(bobToken, { code: aliceCode }), 401, 'invalid_code');

    // Bob's own code still works on his token, and Alice's code was not spent on his account.
    expect((await mfaStep(bobToken, { code: codeFor(bob.secret) })).status).toBe(200);
    const aliceToken = await passwordStep(alice.account);
    expect((await mfaStep(aliceToken, { code: aliceCode })).status).toBe(200);
  });

  it.each([
    ['both a code and a recovery code', true],
    ['neither a code nor a recovery code', false],
  ])('answers 400 to %s and keeps the mfa_token alive', async (_, both) => {
    const { account, secret, recoveryCodes } = await registerWithMfa();
    await forgetUsedSteps(account.id);
    const mfaToken = await passwordStep(account);
    const body = both ? { code: codeFor(secret), recovery_code: recoveryCodes[0] } : {};

    expectProblem(await mfaStep(mfaToken, body), 400, 'validation_failed');

    expect((await mfaStep(mfaToken, { code: codeFor(secret) })).status).toBe(200);
  });

  it.each([['12345'], ['abcdef'], ['1234567'], [123456]])(
    'answers 400 validation_failed to the malformed code %p',
    async (code) => {
      const { account } = await registerWithMfa();
      const reply = await mfaStep(await passwordStep(account), { code });
      expectProblem(reply, 400, 'validation_failed');
    },
  );

  it('records each wrong code as mfa.failed, without the code', async () => {
    const { account, secret } = await registerWithMfa();
    const mfaToken = await passwordStep(account);
    const wrong = wrongCodeFor(secret);
    const requestId = `mfa-wrong-${randomUUID()}`;

    const reply = await api.post(
      '/v1/auth/mfa',
      { mfa_token: mfaToken, code: wrong },
      { headers: { 'x-request-id': requestId } },
    );
    expectProblem(reply, 401, 'invalid_code');

    const rows = await auditByRequest(app, requestId);
    expect(rows).toEqual([
      expect.objectContaining({
        type: 'mfa.failed',
        outcome: 'failure',
        subject_id: account.id,
        details: expect.objectContaining({ method: 'totp' }),
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(wrong);
    expect(JSON.stringify(rows)).not.toContain(mfaToken);
  });
});
