import { ADMIN_SUITE_ENV, adminToken } from './support/admin';
import { createClient, requestClientToken } from './support/clients';
import { captureLogsForSuite } from './support/log-capture';
import { appForSuite } from './support/suite-app';
import { MFA_SUITE_LIMITS, mfaStep, passwordStep, registerWithMfa } from './support/totp';

describe('second-factor and client secrets in logs and the audit trail', () => {
  const captured = captureLogsForSuite();
  const { app, api } = appForSuite({ ...ADMIN_SUITE_ENV, ...MFA_SUITE_LIMITS, LOG_LEVEL: 'info' });

  it('never appear: TOTP secrets, codes, recovery codes, MFA step tokens or client secrets', async () => {
    const { account, secret, enrollmentCode, recoveryCodes } = await registerWithMfa(api);
    const mfaToken = await passwordStep(api, account);
    const [recoveryCode] = recoveryCodes;
    const signedIn = await mfaStep(api, mfaToken, { recovery_code: recoveryCode });
    expect(signedIn.status).toBe(200);
    const wrong = await mfaStep(api, await passwordStep(api, account), { code: '000000' });
    expect(wrong.status).toBe(401);

    const admin = await adminToken(api);
    const created = await createClient(api, admin, []);
    const rotated = await api.post(`/v1/admin/clients/${created.id}/secret`, undefined, {
      token: admin,
    });
    expect(rotated.status).toBe(200);
    const granted = await requestClientToken(api, {
      clientId: created.clientId,
      clientSecret: rotated.body.clientSecret,
    });
    expect(granted.status).toBe(200);
    const refused = await requestClientToken(api, {
      clientId: created.clientId,
      clientSecret: created.clientSecret,
    });
    expect(refused.status).toBe(401);

    const secrets = [
      secret,
      // Six digits turn up by chance inside timestamps: look for the code as a JSON string.
      `"${enrollmentCode}"`,
      ...recoveryCodes,
      mfaToken,
      created.clientSecret,
      rotated.body.clientSecret,
      granted.body.access_token,
      signedIn.body.access_token,
      signedIn.body.refresh_token,
    ];
    const stored: { secret: string }[] = await app.db.query(
      `SELECT secret FROM totp_factors WHERE user_id = $1`,
      [account.id],
    );
    const hashes: { h: string }[] = await app.db.query(
      `SELECT secret_hash AS h FROM clients UNION ALL SELECT code_hash FROM recovery_codes`,
    );
    const logs = captured.text();
    const audit = JSON.stringify(await app.db.query('SELECT * FROM audit_events'));
    expect(logs.length).toBeGreaterThan(0);
    for (const value of [...secrets, stored[0].secret, ...hashes.map((row) => row.h)]) {
      expect(logs).not.toContain(value);
      expect(audit).not.toContain(value);
    }
    expect(logs).not.toMatch(/otpauth:|Basic [A-Za-z0-9+/=]{8,}/);
  });
});
