import { decodeJwt } from 'jose';
import { login, register, Tokens } from './support/accounts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BOOTSTRAP } from './support/bootstrap';
import type { Client } from './support/http';
import type { TestApp } from './support/test-app';
import { enrollMfa } from './support/totp';
import { mfaSuite } from './support/mfa-suite';
import { admins } from './support/user-queries';

const rolesIn = (tokens: Tokens) => [...(decodeJwt(tokens.access_token).roles as string[])].sort();

/** Creates a role that needs a second factor (if missing) and gives it to the user. */
async function grantMfaRole(app: TestApp, userId: string, role = 'auditor') {
  await app.db.query(
    `INSERT INTO roles (name, mfa_required) VALUES ($1, true) ON CONFLICT (name) DO NOTHING`,
    [role],
  );
  await app.db.query(
    `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = $2`,
    [userId, role],
  );
}

async function me(api: Client, tokens: Tokens) {
  const reply = await api.get('/v1/me', { token: tokens.access_token });
  expect(reply.status).toBe(200);
  return reply.body;
}

describe('roles that need a second factor (step-up)', () => {
  const { app, api, loginWithMfa, registerWithMfa } = mfaSuite();

  it('leaves such a role out of a password-only session and says why on /v1/me', async () => {
    const account = await register(api);
    await grantMfaRole(app, account.id);

    const tokens = await login(api, account);

    expect(rolesIn(tokens)).toEqual(['user']);
    const profile = await me(api, tokens);
    expect([...profile.roles].sort()).toEqual(['auditor', 'user']);
    expect(profile.heldBackRoles).toEqual([
      { name: 'auditor', reason: expect.stringContaining('/v1/me/mfa/totp') },
    ]);
  });

  it('grants it in a session that passed a code, and holds nothing back there', async () => {
    const account = await register(api);
    await grantMfaRole(app, account.id);
    const { secret } = await enrollMfa(api, (await login(api, account)).access_token);

    const tokens = await loginWithMfa(account, secret);

    expect(rolesIn(tokens)).toEqual(['auditor', 'user']);
    expect((await me(api, tokens)).heldBackRoles).toEqual([]);
  });

  it('still leaves it out when a password-only session is refreshed after enrolling', async () => {
    const { account, tokens } = await registerWithMfa();
    await grantMfaRole(app, account.id);

    const refreshed = await api.post('/oauth/token', undefined, {
      form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
    });

    expect(refreshed.status).toBe(200);
    expect(rolesIn(refreshed.body)).toEqual(['user']);
    expect(decodeJwt(refreshed.body.access_token).amr).toEqual(['pwd']);
    const profile = await me(api, refreshed.body);
    expect(profile.heldBackRoles).toEqual([
      { name: 'auditor', reason: expect.stringMatching(/sign in again/i) },
    ]);
  });

  it('keeps it in a refreshed session that passed a code', async () => {
    const { account, secret } = await registerWithMfa();
    await grantMfaRole(app, account.id);
    const tokens = await loginWithMfa(account, secret);

    const refreshed = await api.post('/oauth/token', undefined, {
      form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
    });

    expect(refreshed.status).toBe(200);
    expect(rolesIn(refreshed.body)).toEqual(['auditor', 'user']);
  });
});

describe('the bootstrap admin with ADMIN_MFA_REQUIRED at its default (true)', () => {
  const { app, api, loginWithMfa } = mfaSuite(BOOTSTRAP);
  const adminLogin = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD };

  it('gets admin in its token only after passing a second factor', async () => {
    const passwordOnly = await login(api, adminLogin);
    expect(rolesIn(passwordOnly)).toEqual(['user']);
    expect((await me(api, passwordOnly)).heldBackRoles).toEqual([
      { name: 'admin', reason: expect.any(String) },
    ]);

    const { secret } = await enrollMfa(api, passwordOnly.access_token);
    const [admin] = await admins(app);
    const account = { id: admin.id, ...adminLogin };
    const tokens = await loginWithMfa(account, secret);

    expect(rolesIn(tokens)).toEqual(['admin', 'user']);
    expect((await me(api, tokens)).heldBackRoles).toEqual([]);
  });
});

describe('the bootstrap admin with ADMIN_MFA_REQUIRED=false', () => {
  const { api } = mfaSuite({ ...BOOTSTRAP, ADMIN_MFA_REQUIRED: 'false' });

  it('gets admin in its token at once, with the password alone', async () => {
    const tokens = await login(api, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });

    expect(decodeJwt(tokens.access_token).amr).toEqual(['pwd']);
    expect(rolesIn(tokens)).toEqual(['admin', 'user']);
    expect((await me(api, tokens)).heldBackRoles).toEqual([]);
  });
});
