import { randomUUID } from 'node:crypto';
import { login, registerAndLogin } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import {
  auditOf,
  createUser,
  openSessions,
  refresh,
  storedAccount,
  USERS,
} from './support/admin-users';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

describe('PATCH /v1/admin/users/:id', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let operator: { account: { id: string }; token: string };

  beforeAll(async () => {
    await createRoleInDb(app, 'operator', ['user:read', 'user:update']);
    operator = await accountWithRoles(app, api, ['operator']);
  });

  const patch = (id: string, body: unknown, token = operator.token) =>
    api.patch(`${USERS}/${id}`, body, { token });

  it('renames the user, stores it and audits user.updated', async () => {
    const { account } = await registerAndLogin(api);
    const reply = await patch(account.id, { displayName: '  Grace Hopper ' });

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: account.id,
      displayName: 'Grace Hopper',
      disabled: false,
    });
    expect((await storedAccount(app, account.id))?.display_name).toBe('Grace Hopper');
    expect(await auditOf(app, reply)).toEqual([
      {
        type: 'user.updated',
        actorId: operator.account.id,
        subjectId: account.id,
        outcome: 'success',
        details: { fields: ['displayName'] },
      },
    ]);

    const cleared = await patch(account.id, { displayName: null });
    expect(cleared.body.displayName).toBeNull();
  });

  it('disables the user: their sessions end, tokens stop working and login fails', async () => {
    const { account, tokens } = await registerAndLogin(api);
    await login(api, account);
    const reply = await patch(account.id, { disabled: true });

    expect(reply.status).toBe(200);
    expect(reply.body.disabled).toBe(true);
    expect((await storedAccount(app, account.id))?.disabled_at).not.toBeNull();
    expect(await openSessions(app, account.id)).toBe(0);
    const me = await api.get('/v1/me', { token: tokens.access_token });
    expectProblem(me, 401, 'unauthenticated');
    const refreshed = await refresh(api, tokens.refresh_token);
    expect({ status: refreshed.status, error: refreshed.body.error }).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
    const again = await api.post('/v1/auth/login', {
      email: account.email,
      password: account.password,
    });
    expectProblem(again, 401, 'invalid_credentials');
    expect(await auditOf(app, reply)).toEqual([
      {
        type: 'user.disabled',
        actorId: operator.account.id,
        subjectId: account.id,
        outcome: 'success',
        details: { sessionsRevoked: 2 },
      },
    ]);
  });

  it('answers a disabled user\u2019s right password exactly like a wrong one', async () => {
    const { account } = await registerAndLogin(api);
    await patch(account.id, { disabled: true });

    const right = await api.post('/v1/auth/login', {
      email: account.email,
      password: account.password,
    });
    const wrong = await api.post('/v1/auth/login', {
      email: account.email,
      password: 'not it at all, sorry',
    });
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrong.body);
  });

  it('enables a disabled user again, who can then sign in', async () => {
    const { account } = await registerAndLogin(api);
    await patch(account.id, { disabled: true });
    const reply = await patch(account.id, { disabled: false });

    expect(reply.status).toBe(200);
    expect(reply.body.disabled).toBe(false);
    expect((await storedAccount(app, account.id))?.disabled_at).toBeNull();
    expect((await auditOf(app, reply)).map((event) => event.type)).toEqual(['user.enabled']);
    expect(await login(api, account)).toHaveProperty('access_token');
  });

  it('changes nothing and records nothing when the body asks for what already is', async () => {
    const { account } = await registerAndLogin(api);
    const reply = await patch(account.id, { disabled: false });
    expect(reply.status).toBe(200);
    expect(await auditOf(app, reply)).toEqual([]);
  });

  it('refuses to change or disable a user who holds permissions the caller lacks', async () => {
    await createRoleInDb(app, 'superoperator', ['user:read', 'user:update', 'user:delete']);
    const stronger = await accountWithRoles(app, api, ['superoperator']);

    for (const body of [{ disabled: true }, { displayName: 'Mallory was here' }]) {
      const reply = await patch(stronger.account.id, body);
      expectProblem(reply, 403, 'forbidden');
    }
    const stored = await storedAccount(app, stronger.account.id);
    expect(stored).toMatchObject({ disabled_at: null, display_name: null });
    expect(await openSessions(app, stronger.account.id)).toBe(1);
  });

  it('refuses to disable an admin for a caller with user:update only', async () => {
    const admin = await createUser(api, await adminToken(api), { roles: ['admin'] });
    expectProblem(await patch(admin.id, { disabled: true }), 403, 'forbidden');
    expect((await storedAccount(app, admin.id))?.disabled_at).toBeNull();
  });

  it.each([
    ['roles', { roles: ['admin'] }],
    ['an id', { id: randomUUID() }],
    ['an email', { email: 'takeover@example.com' }],
    ['a password', { password: 'a brand new password here' }],
    ['disabled as a string', { disabled: 'true' }],
    ['disabled as null', { disabled: null }],
    ['a display name with a newline', { displayName: 'Eve\nAdmin' }],
  ])('refuses %s with 400 and changes nothing', async (_, body) => {
    const { account } = await registerAndLogin(api);
    const reply = await patch(account.id, body);
    expectProblem(reply, 400, 'validation_failed');
    expect(await storedAccount(app, account.id)).toMatchObject({
      disabled_at: null,
      display_name: null,
    });
  });

  it.each([randomUUID(), 'not-a-uuid'])('answers 404 not_found for the id %s', async (id) => {
    expectProblem(await patch(id, { displayName: 'Nobody' }), 404, 'not_found');
  });
});
