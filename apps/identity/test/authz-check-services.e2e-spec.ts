import { randomUUID } from 'node:crypto';
import { registerAndLogin } from './support/accounts';
import {
  accountWithRoles,
  ADMIN_SUITE_ENV,
  adminToken,
  createRoleInDb,
  grantRoleInDb,
} from './support/admin';
import { check, ROLES, serviceClientInDb } from './support/authz';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { mfaSuite } from './support/mfa-suite';

const nothingFor = (subject: string | null) => ({
  subject,
  allowed: false,
  results: { 'dataset:read': false, 'detection:predict': false },
});

describe('a service asking the permission endpoint about users', () => {
  const { app, api, registerWithMfa, loginWithMfa } = mfaSuite(ADMIN_SUITE_ENV);
  /** A service client holding authz:check. */
  let service: string;
  const body = { permissions: ['dataset:read', 'detection:predict'] };

  beforeAll(async () => {
    await createRoleInDb(app, 'authz-service', ['authz:check']);
    await createRoleInDb(app, 'analyst', ['dataset:read', 'detection:predict']);
    await createRoleInDb(app, 'trainer', ['detection:train'], true);
    service = (await serviceClientInDb(app, api, ['authz-service'])).token;
  });

  it('answers about a user named by subject', async () => {
    const { account } = await accountWithRoles(app, api, ['analyst']);

    const reply = await check(api, service, { ...body, subject: account.id });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      subject: account.id,
      allowed: true,
      results: { 'dataset:read': true, 'detection:predict': true },
    });
  });

  it('answers about the user behind an access token', async () => {
    const { account, token } = await accountWithRoles(app, api, ['analyst']);

    const reply = await check(api, service, { permissions: ['dataset:read', 'x:y'], token });

    expect(reply.body).toEqual({
      subject: account.id,
      allowed: false,
      results: { 'dataset:read': true, 'x:y': false },
    });
  });

  it.each([
    ['a garbage token', 'not-a-token'],
    ['a token with a forged signature', 'forged'],
  ])('grants nothing for %s, with subject null', async (_, kind) => {
    const { token } = await accountWithRoles(app, api, ['analyst']);
    const presented = kind === 'forged' ? `${token.slice(0, -6)}AAAAAA` : kind;

    const reply = await check(api, service, { ...body, token: presented });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(nothingFor(null));
  });

  it('grants nothing for a service token, which names no user', async () => {
    expect((await check(api, service, { ...body, token: service })).body).toEqual(nothingFor(null));
  });

  it('grants nothing for the token of a session that was revoked', async () => {
    const { account, tokens } = await registerAndLogin(api);
    await grantRoleInDb(app, account.id, 'analyst');
    const asked = { ...body, token: tokens.access_token };
    expect((await check(api, service, asked)).body.allowed).toBe(true);

    await api.post('/oauth/revoke', { token: tokens.refresh_token });

    expect((await check(api, service, asked)).body).toEqual(nothingFor(null));
  });

  it('grants a disabled user nothing, by subject or by token', async () => {
    const { account, token } = await accountWithRoles(app, api, ['analyst']);

    await app.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [account.id]);

    expect((await check(api, service, { ...body, subject: account.id })).body).toEqual(
      nothingFor(account.id),
    );
    expect((await check(api, service, { ...body, token })).body.allowed).toBe(false);
  });

  it('grants nothing to a subject that does not exist', async () => {
    const subject = randomUUID();

    expect((await check(api, service, { ...body, subject })).body).toEqual(nothingFor(subject));
  });

  it('sees at once a permission removed from a role and a role deleted', async () => {
    await createRoleInDb(app, 'temporary', ['experiment:run']);
    const { account } = await accountWithRoles(app, api, ['temporary']);
    const asked = { permissions: ['experiment:run'], subject: account.id };
    const admin = await adminToken(api);
    expect((await check(api, service, asked)).body.allowed).toBe(true);

    await api.patch(`${ROLES}/temporary`, { permissions: ['experiment:read'] }, { token: admin });
    expect((await check(api, service, asked)).body.allowed).toBe(false);

    await api.patch(`${ROLES}/temporary`, { permissions: ['experiment:run'] }, { token: admin });
    expect((await check(api, service, asked)).body.allowed).toBe(true);

    await api.delete(`${ROLES}/temporary?force=true`, undefined, { token: admin });
    expect((await check(api, service, asked)).body.allowed).toBe(false);
  });

  it('counts a role needing a second factor, by subject, only for a user with TOTP confirmed', async () => {
    const withoutFactor = (await accountWithRoles(app, api, ['trainer'])).account;
    const withFactor = await registerWithMfa();
    await grantRoleInDb(app, withFactor.account.id, 'trainer');
    const asked = (subject: string) => ({ permissions: ['detection:train'], subject });

    expect((await check(api, service, asked(withoutFactor.id))).body.allowed).toBe(false);
    expect((await check(api, service, asked(withFactor.account.id))).body.allowed).toBe(true);
  });

  it('counts it, by token, only when that session passed a second factor', async () => {
    const { account, tokens, secret } = await registerWithMfa();
    await grantRoleInDb(app, account.id, 'trainer');
    const steppedUp = await loginWithMfa(account, secret);
    const asked = (token: string) => ({ permissions: ['detection:train'], token });

    expect((await check(api, service, asked(tokens.access_token))).body.allowed).toBe(false);
    expect((await check(api, service, asked(steppedUp.access_token))).body.allowed).toBe(true);
  });

  it('answers 403 to a service without authz:check, whatever it asks', async () => {
    const { account } = await accountWithRoles(app, api, ['analyst']);
    const other = await serviceClientInDb(app, api, ['analyst']);

    for (const asked of [{ ...body, subject: account.id }, body]) {
      expectProblem(await check(api, other.token, asked), 403, 'forbidden');
    }
    const [denied] = await app.db.query(
      `SELECT details FROM audit_events WHERE type = 'authz.denied' AND actor_id = $1`,
      [other.clientId],
    );
    expect(denied).toBeDefined();
  });

  it.each([
    ['neither subject nor token', {}],
    ['both subject and token', { subject: randomUUID(), token: 'x' }],
  ])('answers 400 to a service that sends %s', async (_, target) => {
    expectFieldErrors(await check(api, service, { ...body, ...target }), 'subject');
  });
});
