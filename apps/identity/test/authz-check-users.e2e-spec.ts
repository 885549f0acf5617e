import { randomUUID } from 'node:crypto';
import { registerAndLogin } from './support/accounts';
import {
  accountWithRoles,
  ADMIN_SUITE_ENV,
  adminToken,
  createRoleInDb,
  grantRoleInDb,
} from './support/admin';
import { check, CHECK, ROLES } from './support/authz';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { mfaSuite } from './support/mfa-suite';

describe('a user asking the permission endpoint about itself', () => {
  const { app, api, registerWithMfa, loginWithMfa } = mfaSuite(ADMIN_SUITE_ENV);

  beforeAll(async () => {
    await createRoleInDb(app, 'analyst', ['dataset:read', 'detection:predict']);
    await createRoleInDb(app, 'trainer', ['detection:train'], true);
  });
  /** A user holding no role but `user`. */
  let plainToken: string;
  beforeAll(async () => {
    plainToken = (await accountWithRoles(app, api, [])).token;
  });

  it('answers each permission, and allowed only when all are granted', async () => {
    const { account, token } = await accountWithRoles(app, api, ['analyst']);

    const reply = await check(api, token, {
      permissions: ['dataset:read', 'detection:predict', 'detector:create'],
    });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toEqual({
      subject: account.id,
      allowed: false,
      results: { 'dataset:read': true, 'detection:predict': true, 'detector:create': false },
    });
    const granted = await check(api, token, { permissions: ['dataset:read'] });
    expect(granted.body).toMatchObject({ allowed: true, results: { 'dataset:read': true } });
  });

  it('judges by the roles held now, not those in the token', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const body = { permissions: ['dataset:read'] };

    await grantRoleInDb(app, account.id, 'analyst');
    expect((await check(api, tokens.access_token, body)).body.allowed).toBe(true);

    await app.db.query('DELETE FROM user_roles WHERE user_id = $1', [account.id]);
    expect((await check(api, tokens.access_token, body)).body.allowed).toBe(false);
  });

  it('sees at once a permission an admin took from a role', async () => {
    await createRoleInDb(app, 'shifting', ['experiment:read', 'experiment:run']);
    const { token } = await accountWithRoles(app, api, ['shifting']);
    expect((await check(api, token, { permissions: ['experiment:run'] })).body.allowed).toBe(true);

    const patched = await api.patch(
      `${ROLES}/shifting`,
      { permissions: ['experiment:read'] },
      { token: await adminToken(api) },
    );

    expect(patched.status).toBe(200);
    expect((await check(api, token, { permissions: ['experiment:run'] })).body.allowed).toBe(false);
  });

  it('counts a role that needs a second factor only in a session that passed one', async () => {
    const { account, tokens, secret } = await registerWithMfa();
    await grantRoleInDb(app, account.id, 'trainer');
    const body = { permissions: ['detection:train'] };

    expect((await check(api, tokens.access_token, body)).body.allowed).toBe(false);
    const steppedUp = await loginWithMfa(account, secret);
    expect((await check(api, steppedUp.access_token, body)).body.allowed).toBe(true);
  });

  it.each([
    ['subject', { subject: randomUUID() }],
    ['token', { token: 'x.y.z' }],
  ])('answers 403 forbidden to a user naming a %s', async (_, target) => {
    const { account, token } = await accountWithRoles(app, api, ['analyst']);

    const reply = await check(api, token, { permissions: ['dataset:read'], ...target });

    expectProblem(reply, 403, 'forbidden');
    const [denied] = await app.db.query(
      `SELECT details FROM audit_events WHERE type = 'authz.denied' AND actor_id = $1`,
      [account.id],
    );
    expect(denied.details).toEqual({ method: 'POST', route: CHECK });
  });

  it('answers 401 without a token', async () => {
    const reply = await api.post(CHECK, { permissions: ['dataset:read'] });

    expectProblem(reply, 401, 'unauthenticated');
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });

  it.each([
    ['no permissions', 'permissions', { permissions: [] }],
    ['a missing list', 'permissions', {}],
    [
      '51 permissions',
      'permissions',
      { permissions: Array.from({ length: 51 }, (_, i) => `r${i}:x`) },
    ],
    ['a malformed permission', 'permissions', { permissions: ['Dataset:Read'] }],
    ['a permission that is not a string', 'permissions', { permissions: [1] }],
    ['a subject that is not a uuid', 'subject', { permissions: ['a:b'], subject: "1' OR '1'='1" }],
    ['a token that is not a string', 'token', { permissions: ['a:b'], token: 42 }],
    ['an unknown field', 'user', { permissions: ['a:b'], user: 'me' }],
  ])('answers 400 validation_failed for %s', async (_, field, body) => {
    expectFieldErrors(await check(api, plainToken, body), field);
  });

  it('accepts 50 permissions, wildcards among them', async () => {
    const { token } = await accountWithRoles(app, api, ['analyst']);
    const permissions = [...Array.from({ length: 48 }, (_, i) => `r${i}:x`), 'dataset:*', '*'];

    const reply = await check(api, token, { permissions });

    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body.results)).toHaveLength(50);
    expect(reply.body.results).toMatchObject({ 'dataset:*': false, '*': false });
  });
});
