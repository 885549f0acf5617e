import { randomUUID } from 'node:crypto';
import { login, register } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, createRoleInDb } from './support/admin';
import { auditOf, openSessions, refresh, USERS } from './support/admin-users';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('/v1/admin/users/:id/sessions', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let support: { account: { id: string }; token: string };

  beforeAll(async () => {
    await createRoleInDb(app, 'support', ['user:read', 'user:update']);
    support = await accountWithRoles(app, api, ['support']);
  });

  const list = (id: string) => api.get(`${USERS}/${id}/sessions`, { token: support.token });
  const endAll = (id: string) =>
    api.delete(`${USERS}/${id}/sessions`, undefined, { token: support.token });

  it('lists the user\u2019s live sessions, newest first, without the revoked ones', async () => {
    const account = await register(api);
    const first = await login(api, account);
    await login(api, account);
    await api.post('/oauth/revoke', undefined, { form: { token: first.refresh_token } });

    const reply = await list(account.id);
    expect(reply.status).toBe(200);
    expect(reply.body.next_cursor).toBeNull();
    expect(reply.body.items).toEqual([
      {
        id: expect.any(String),
        amr: ['pwd'],
        ip: '127.0.0.1',
        userAgent: expect.anything(),
        createdAt: expect.stringMatching(ISO),
        lastRefreshedAt: expect.stringMatching(ISO),
        expiresAt: expect.stringMatching(ISO),
      },
    ]);
  });

  it('ends every session: refresh fails, access tokens stop working, and it is audited', async () => {
    const account = await register(api);
    const one = await login(api, account);
    const two = await login(api, account);

    const reply = await endAll(account.id);

    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(await openSessions(app, account.id)).toBe(0);
    const reasons = await app.db.query(
      'SELECT DISTINCT revoke_reason FROM sessions WHERE user_id = $1',
      [account.id],
    );
    expect(reasons).toEqual([{ revoke_reason: 'revoked_by_admin' }]);
    for (const tokens of [one, two]) {
      expectProblem(
        await api.get('/v1/me', { token: tokens.access_token }),
        401,
        'unauthenticated',
      );
      expect((await refresh(api, tokens.refresh_token)).body.error).toBe('invalid_grant');
    }
    expect((await list(account.id)).body.items).toEqual([]);
    expect(await auditOf(app, reply)).toEqual([
      {
        type: 'session.revoked',
        actorId: support.account.id,
        subjectId: account.id,
        outcome: 'success',
        details: { reason: 'revoked_by_admin', sessionsRevoked: 2 },
      },
    ]);
    expect(await login(api, account)).toHaveProperty('access_token');
  });

  it('refuses to end the sessions of an admin for a caller who is not one', async () => {
    const admin = await accountWithRoles(app, api, ['admin']);
    expectProblem(await endAll(admin.account.id), 403, 'forbidden');
    expect(await openSessions(app, admin.account.id)).toBe(1);
  });

  it.each([randomUUID(), 'not-a-uuid'])('answers 404 not_found for the id %s', async (id) => {
    expectProblem(await list(id), 404, 'not_found');
    expectProblem(await endAll(id), 404, 'not_found');
  });
});
