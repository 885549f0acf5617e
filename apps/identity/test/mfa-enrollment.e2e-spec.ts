import { base32 } from '@scure/base';
import { registerAndLogin } from './support/accounts';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { codeFor, wrongCodeFor } from './support/totp';
import { mfaSuite } from './support/mfa-suite';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('TOTP enrollment (POST /v1/me/mfa/totp and /v1/me/mfa/totp/verify)', () => {
  const { app, api } = mfaSuite();

  const enroll = (token: string) => api.post('/v1/me/mfa/totp', undefined, { token });
  const verify = (token: string, code: unknown) =>
    api.post('/v1/me/mfa/totp/verify', { code }, { token });

  it('answers 201 with a 160-bit base32 secret, its otpauth URI and a PNG QR code, not cached', async () => {
    const { account, tokens } = await registerAndLogin(api);

    const reply = await enroll(tokens.access_token);

    expect(reply.status).toBe(201);
    expect(reply.headers.get('cache-control')).toMatch(/no-store/);
    expect(Object.keys(reply.body).sort()).toEqual(['otpauthUri', 'qrCode', 'secret']);
    const { secret, otpauthUri, qrCode } = reply.body;
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(base32.decode(secret).length * 8).toBeGreaterThanOrEqual(160);

    const uri = new URL(otpauthUri);
    expect(`${uri.protocol}//${uri.host}/`).toBe('otpauth://totp/');
    expect(decodeURIComponent(uri.pathname)).toContain(account.email);
    expect(uri.searchParams.get('issuer')).toBe('Tessera');
    expect(uri.searchParams.get('secret')).toBe(secret);

    const [prefix, data] = qrCode.split(',');
    expect(prefix).toBe('data:image/png;base64');
    expect(Buffer.from(data, 'base64').subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('replaces a pending enrollment when asked again: the first secret no longer verifies', async () => {
    const { tokens } = await registerAndLogin(api);
    const first = (await enroll(tokens.access_token)).body.secret;
    const second = (await enroll(tokens.access_token)).body.secret;
    expect(second).not.toBe(first);

    expectProblem(await verify(tokens.access_token, codeFor(first)), 400, 'invalid_code');
    expect((await verify(tokens.access_token, codeFor(second))).status).toBe(200);
  });

  it('stores the secret sealed, bound to its own factor row', async () => {
    const alice = await registerAndLogin(api);
    const bob = await registerAndLogin(api);
    const aliceSecret = (await enroll(alice.tokens.access_token)).body.secret;
    await enroll(bob.tokens.access_token);

    const [stored] = await app.db.query('SELECT secret FROM totp_factors WHERE user_id = $1', [
      alice.account.id,
    ]);
    expect(stored.secret).not.toContain(aliceSecret);
    expect(stored.secret).not.toContain(aliceSecret.toLowerCase());

    // Alice's sealed secret pasted into Bob's row does not open there.
    await app.db.query('UPDATE totp_factors SET secret = $1 WHERE user_id = $2', [
      stored.secret,
      bob.account.id,
    ]);
    const reply = await verify(bob.tokens.access_token, codeFor(aliceSecret));
    // A row that does not open fails closed, answered like a wrong code.
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('invalid_code');
    expect(reply.text).not.toContain(aliceSecret);
    expect(reply.body).not.toHaveProperty('recoveryCodes');
    const [bobFactor] = await app.db.query('SELECT state FROM totp_factors WHERE user_id = $1', [
      bob.account.id,
    ]);
    expect(bobFactor.state).toBe('pending');
  });

  it('turns MFA on with a current code and answers ten distinct recovery codes, stored as hashes only', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const { secret } = (await enroll(tokens.access_token)).body;
    expect((await api.get('/v1/me', { token: tokens.access_token })).body.mfaEnabled).toBe(false);

    const reply = await verify(tokens.access_token, codeFor(secret));

    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toMatch(/no-store/);
    const codes: string[] = reply.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/\S{8,}/);

    const rows = await app.db.query('SELECT * FROM recovery_codes WHERE user_id = $1', [
      account.id,
    ]);
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows).toLowerCase();
    for (const code of codes) {
      expect(stored).not.toContain(code.toLowerCase());
      expect(stored).not.toContain(code.replace(/[\s-]/g, '').toLowerCase());
    }

    const me = await api.get('/v1/me', { token: tokens.access_token });
    expect(me.body.mfaEnabled).toBe(true);

    const audit = await app.db.query(
      `SELECT * FROM audit_events WHERE type = 'mfa.enrolled' AND subject_id = $1`,
      [account.id],
    );
    expect(audit).toHaveLength(1);
    const audited = JSON.stringify(audit);
    for (const value of [secret, ...codes]) expect(audited).not.toContain(value);
  });

  it('refuses a wrong code with 400 invalid_code and leaves MFA off', async () => {
    const { tokens } = await registerAndLogin(api);
    const { secret } = (await enroll(tokens.access_token)).body;
    expectProblem(await verify(tokens.access_token, wrongCodeFor(secret)), 400, 'invalid_code');
    const me = await api.get('/v1/me', { token: tokens.access_token });
    expect(me.body.mfaEnabled).toBe(false);
  });

  it.each([['12345'], ['abcdef'], ['1234567'], [123456], [' 12345'], [null]])(
    'refuses the malformed code %p with 400 validation_failed',
    async (code) => {
      const { tokens } = await registerAndLogin(api);
      expect((await enroll(tokens.access_token)).status).toBe(201);

      expectFieldErrors(await verify(tokens.access_token, code), 'code');
      const me = await api.get('/v1/me', { token: tokens.access_token });
      expect(me.body.mfaEnabled).toBe(false);
    },
  );

  it('answers 409 to an enrollment once MFA is on and keeps the first factor', async () => {
    const { tokens } = await registerAndLogin(api);
    const { secret } = (await enroll(tokens.access_token)).body;
    expect((await verify(tokens.access_token, codeFor(secret))).status).toBe(200);

    expectProblem(await enroll(tokens.access_token), 409, 'mfa_already_enabled');
    const me = await api.get('/v1/me', { token: tokens.access_token });
    expect(me.body.mfaEnabled).toBe(true);
  });

  it('never shows the secret again after enrollment', async () => {
    const { tokens } = await registerAndLogin(api);
    const { secret } = (await enroll(tokens.access_token)).body;
    const verified = await verify(tokens.access_token, codeFor(secret));
    expect(verified.status).toBe(200);
    expect(verified.text).not.toContain(secret);

    const me = await api.get('/v1/me', { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect(me.text).not.toContain(secret);
    expect(me.text).not.toMatch(/secret|otpauth/i);
  });

  it('answers 409 mfa_not_pending to a verification without an enrollment', async () => {
    const { tokens } = await registerAndLogin(api);
    expectProblem(await verify(tokens.access_token, '123456'), 409, 'mfa_not_pending');
  });
});
