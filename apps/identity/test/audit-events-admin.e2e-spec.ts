import { GOOD_PASSWORD, register, uniqueEmail } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { appForSuite } from './support/suite-app';

describe('the audit-event query for admins', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);

  async function failLogin(email: string) {
    await api.post('/v1/auth/login', { email, password: 'not the password at all' });
  }

  it('answers newest first with the contract record and nothing secret', async () => {
    const account = await register(api);
    await failLogin(account.email);

    const reply = await api.get('/v1/admin/audit-events?type=login.failed&limit=1', {
      token: await adminToken(api),
    });

    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(1);
    expect(Object.keys(reply.body.items[0]).sort()).toEqual(
      [
        'actorId',
        'at',
        'details',
        'id',
        'ip',
        'outcome',
        'requestId',
        'subjectId',
        'type',
        'userAgent',
      ].sort(),
    );
    expect(reply.body.items[0]).toMatchObject({ type: 'login.failed', outcome: 'failure' });
    expect(reply.text).not.toContain('not the password at all');
    expect(reply.text).not.toContain(GOOD_PASSWORD);
  });

  it('walks every matching event exactly once through the cursor', async () => {
    const account = await register(api, uniqueEmail('paged'));
    for (let i = 0; i < 5; i += 1) await failLogin(account.email);
    const stored: { id: string }[] = await app.db.query(
      `SELECT id FROM audit_events WHERE type = 'login.failed' AND subject_id = $1
       ORDER BY at DESC, id DESC`,
      [account.id],
    );
    expect(stored).toHaveLength(5);
    const token = await adminToken(api);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `type=login.failed&subject=${account.id}&limit=2`;
      const path: string = `/v1/admin/audit-events?${query}${cursor ? `&cursor=${cursor}` : ''}`;
      const reply = await api.get(path, { token });
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items.map((event: { id: string }) => event.id));
      cursor = reply.body.next_cursor;
    } while (cursor);

    expect(seen).toEqual(stored.map((row) => row.id));
  });

  it('filters by actor, outcome and time window', async () => {
    const { account, token: own } = await accountWithRoles(app, api, []);
    await api.patch('/v1/me', { displayName: 'Someone' }, { token: own });
    const token = await adminToken(api);
    const future = new Date(Date.now() + 3_600_000).toISOString();

    const byActor = await api.get(`/v1/admin/audit-events?actor=${account.id}`, { token });
    const later = await api.get(`/v1/admin/audit-events?since=${future}`, { token });
    const earlier = await api.get(
      `/v1/admin/audit-events?actor=${account.id}&until=${future}&outcome=success`,
      { token },
    );

    expect(byActor.status).toBe(200);
    expect(byActor.body.items.length).toBeGreaterThan(0);
    for (const event of byActor.body.items) expect(event.actorId).toBe(account.id);
    expect(later.body).toEqual({ items: [], next_cursor: null });
    for (const event of earlier.body.items) expect(event.outcome).toBe('success');
  });

  it.each([
    'limit=0',
    'limit=1000',
    'limit=ten',
    'since=yesterday',
    'outcome=maybe',
    "type=login.failed'--",
    'cursor=bm90IGEgY3Vyc29y',
    'sort=at',
  ])('refuses ?%s with 400 validation_failed', async (query) => {
    const reply = await api.get(`/v1/admin/audit-events?${query}`, {
      token: await adminToken(api),
    });

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('validation_failed');
  });

  it('refuses a caller without audit:read, and records the refusal', async () => {
    await createRoleInDb(app, 'auditor-lite', ['user:read']);
    const { account, token } = await accountWithRoles(app, api, ['auditor-lite']);

    const reply = await api.get('/v1/admin/audit-events', { token });

    expect(reply.status).toBe(403);
    const [denied] = await app.db.query(
      `SELECT details FROM audit_events WHERE type = 'authz.denied' AND actor_id = $1`,
      [account.id],
    );
    expect(denied.details).toMatchObject({
      method: 'GET',
      route: '/v1/admin/audit-events',
      required: ['audit:read'],
    });
  });

  it('refuses a caller without a token', async () => {
    const reply = await api.get('/v1/admin/audit-events');

    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
