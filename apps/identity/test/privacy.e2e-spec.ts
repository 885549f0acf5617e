import { GOOD_PASSWORD, login, register, uniqueEmail } from './support/accounts';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/bootstrap';
import { ADMIN_SUITE_ENV, adminToken } from './support/admin';
import { readableAuditByRequest } from './support/audit-queries';
import { expectProblem } from './support/problem-details';
import { captureLogsForSuite } from './support/log-capture';
import { appForSuite } from './support/suite-app';
import type { TestApp } from './support/test-app';

/** Every row of every table of the app's schema, as one JSON text to search. */
async function everyTableAsText(app: TestApp): Promise<string> {
  const tables: { table_name: string }[] = await app.db.query(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const dumps = await Promise.all(
    tables.map(async ({ table_name }) => app.db.query(`SELECT * FROM "${table_name}"`)),
  );
  return JSON.stringify(dumps);
}

describe('the export and erasure of one person', () => {
  const logs = captureLogsForSuite();
  const { app, api } = appForSuite({ ...ADMIN_SUITE_ENV, LOG_LEVEL: 'info' });

  it('exports every stored fact, then erases them all, leaving the audit trail countable', async () => {
    const email = uniqueEmail('erase-me');
    const account = await register(api, email);
    const tokens = await login(api, account);
    const token = tokens.access_token;
    await api.patch('/v1/me', { displayName: 'Erin Example' }, { token });
    await api.post('/v1/me/mfa/totp', undefined, { token });

    const exported = await api.get('/v1/me/export', {
      token,
      headers: { 'user-agent': 'privacy-e2e/1.0', 'x-request-id': 'export-1' },
    });

    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    expect(exported.body).toMatchObject({
      profile: { id: account.id, email, displayName: 'Erin Example', hasPassword: true },
      roles: ['user'],
      mfa: { totp: { state: 'pending' }, recoveryCodes: { total: 0, unused: 0 } },
      sessions: [expect.objectContaining({ ip: '127.0.0.1', revokedAt: null })],
      auditEventsTruncated: false,
    });
    const types = exported.body.auditEvents.map((event: { type: string }) => event.type);
    expect(types).toEqual(expect.arrayContaining(['user.created', 'login.succeeded']));
    expect(exported.body.auditEvents[0].ip).toBe('127.0.0.1');
    // Secrets are described, never copied.
    expect(exported.text).not.toMatch(/bcrypt|\$argon2|secret|password_hash/i);
    expect(exported.text).not.toContain(tokens.refresh_token);

    const refused = await api.delete('/v1/me', { password: 'not my password at all' }, { token });
    expectProblem(refused, 403, 'invalid_credentials');
    expect(await everyTableAsText(app)).toContain(email);

    const erased = await api.delete(
      '/v1/me',
      { password: GOOD_PASSWORD },
      { token, headers: { 'x-request-id': 'erase-1' } },
    );

    expect(erased.status).toBe(204);
    expect((await api.get('/v1/me', { token })).status).toBe(401);
    expectProblem(
      await api.post('/v1/auth/login', { email, password: GOOD_PASSWORD }),
      401,
      'invalid_credentials',
    );
    expect(
      (
        await api.post('/oauth/token', {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
        })
      ).status,
    ).toBe(400);

    const stored = await everyTableAsText(app);
    expect(stored).not.toContain(email);
    expect(stored).not.toContain('Erin Example');
    expect(stored).not.toContain('privacy-e2e/1.0');
    // The history stays countable: the events are there, their personal data unreadable.
    const [{ n }] = await app.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 OR subject_id = $1`,
      [account.id],
    );
    expect(n).toBeGreaterThanOrEqual(4);
    for (const requestId of ['export-1', 'erase-1']) {
      for (const event of await readableAuditByRequest(app, requestId)) {
        expect({ ip: event.ip, userAgent: event.userAgent }).toEqual({ ip: null, userAgent: null });
      }
    }
    const [deleted] = await readableAuditByRequest(app, 'erase-1');
    expect(deleted).toMatchObject({ type: 'user.deleted', actorId: account.id });

    // The email never reached a log line, before or after the erasure.
    expect(logs.text()).not.toContain(email);
  });

  it('erases an account deleted by an admin the same way', async () => {
    const email = uniqueEmail('admin-erased');
    const account = await register(api, email);
    await login(api, account);

    const reply = await api.delete(`/v1/admin/users/${account.id}`, undefined, {
      token: await adminToken(api),
    });

    expect(reply.status).toBe(204);
    const keys = await app.db.query(`SELECT 1 FROM audit_keys WHERE user_id = $1`, [account.id]);
    expect(keys).toHaveLength(0);
    expect(await everyTableAsText(app)).not.toContain(email);
  });

  it('refuses to erase the last admin', async () => {
    const token = (await login(api, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).access_token;

    const reply = await api.delete('/v1/me', { password: ADMIN_PASSWORD }, { token });

    expectProblem(reply, 409, 'last_admin');
    expect((await api.get('/v1/me', { token })).status).toBe(200);
  });

  it('refuses a body without the password', async () => {
    const account = await register(api);
    const { access_token: token } = await login(api, account);

    const reply = await api.delete('/v1/me', {}, { token });

    expectProblem(reply, 400, 'validation_failed');
    expect((await api.get('/v1/me', { token })).status).toBe(200);
  });
});
