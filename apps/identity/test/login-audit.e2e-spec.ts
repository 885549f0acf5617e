import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { register, uniqueEmail } from './support/accounts';
import { auditByRequest, readableAuditByRequest } from './support/audit-queries';
import { creds } from './support/credentials';
import { appForSuite } from './support/suite-app';
import { storedHash } from './support/user-queries';

describe('POST /v1/auth/login', () => {
  const { app, api } = appForSuite();

  describe('audit trail', () => {
    it('stores login.succeeded and login.failed, with no password in them', async () => {
      const account = await register(api);
      const wrongPassword = 'a wrong but memorable password';

      const failedId = `login-failed-${randomUUID()}`;
      await api.post(
        '/v1/auth/login',
        { email: account.email, password: wrongPassword },
        { headers: { 'x-request-id': failedId, 'user-agent': 'login-e2e/1.0' } },
      );
      const unknownId = `login-unknown-${randomUUID()}`;
      await api.post(
        '/v1/auth/login',
        { email: uniqueEmail('ghost'), password: wrongPassword },
        { headers: { 'x-request-id': unknownId } },
      );
      const okId = `login-ok-${randomUUID()}`;
      const ok = await api.post(
        '/v1/auth/login',
        { email: account.email, password: account.password },
        { headers: { 'x-request-id': okId, 'user-agent': 'login-e2e/1.0' } },
      );
      expect(ok.status).toBe(200);

      const failed = await auditByRequest(app, failedId);
      expect(failed).toEqual([
        expect.objectContaining({
          type: 'login.failed',
          outcome: 'failure',
          subject_id: account.id,
          details: expect.objectContaining({ reason: 'wrong_password' }),
        }),
      ]);
      // The address and user agent are the account's personal data: stored sealed under its
      // audit key, readable through the admin API.
      expect(failed[0]).toMatchObject({ ip: null, user_agent: null, pii_owner: account.id });
      expect(failed[0].pii_sealed).not.toContain('login-e2e');
      expect(await readableAuditByRequest(app, failedId)).toEqual([
        expect.objectContaining({ ip: '127.0.0.1', userAgent: 'login-e2e/1.0' }),
      ]);

      // No account, no person to protect: the address of the attempt stays in the clear.
      const unknown = await auditByRequest(app, unknownId);
      expect(unknown).toEqual([
        expect.objectContaining({
          type: 'login.failed',
          outcome: 'failure',
          subject_id: null,
          ip: '127.0.0.1',
          details: expect.objectContaining({ reason: 'unknown_account' }),
        }),
      ]);

      const succeeded = await auditByRequest(app, okId);
      expect(succeeded).toEqual([
        expect.objectContaining({
          type: 'login.succeeded',
          outcome: 'success',
          actor_id: account.id,
          subject_id: account.id,
          details: expect.objectContaining({
            sessionId: decodeJwt(ok.body.access_token).sid,
          }),
        }),
      ]);

      // Nothing secret anywhere in the trail: not either password, not a token, not a hash.
      const everything = JSON.stringify(await app.db.query('SELECT * FROM audit_events'));
      expect(everything).not.toContain(wrongPassword);
      expect(everything).not.toContain(account.password);
      expect(everything).not.toContain(ok.body.refresh_token);
      expect(everything).not.toContain(ok.body.access_token);
      expect(everything).not.toContain(await storedHash(app, account.id));
      expect(everything).not.toMatch(/\$bcrypt-sha256\$|\$argon2|\$2[aby]\$/);
    });

    it('records a disabled user\u2019s attempt as login.failed', async () => {
      const account = await register(api);
      await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [account.id]);
      const requestId = `login-disabled-${randomUUID()}`;
      await api.post('/v1/auth/login', creds(account), { headers: { 'x-request-id': requestId } });
      expect(await auditByRequest(app, requestId)).toEqual([
        expect.objectContaining({
          type: 'login.failed',
          outcome: 'failure',
          subject_id: account.id,
        }),
      ]);
    });
  });
});
