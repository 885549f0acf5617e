import { GOOD_PASSWORD, registerAndLogin, uniqueEmail } from './support/accounts';
import { from, registerFromElsewhere, uniqueIp, WRONG_PASSWORD } from './support/rate-limits';
import { ADMIN_SUITE_ENV, adminToken } from './support/admin';
import { appForSuite } from './support/suite-app';
import { startWebhookReceiver } from './support/webhook-receiver';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

describe('security alerts to ALERT_WEBHOOK_URL', () => {
  // The receiver holds every post unanswered: requests must finish without waiting for it.
  let receiver: Receiver;
  const env: Record<string, string> = { TRUST_PROXY: '127.0.0.1' };
  beforeAll(async () => {
    receiver = await startWebhookReceiver(() => undefined);
    env.ALERT_WEBHOOK_URL = receiver.url;
  });
  afterAll(async () => receiver.close());
  const { api } = appForSuite(env);
  const alertsOf = (kind: string) => receiver.posts.filter((post) => post.body.alert === kind);

  it('posts refresh-token reuse, and the refused request does not wait for the webhook', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const refresh = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
    await api.post('/oauth/token', refresh);
    const seen = receiver.posts.length;

    const reuse = await api.post('/oauth/token', refresh);

    expect(reuse.status).toBe(400);
    const posts = await receiver.received(seen + 1);
    const alert = posts[seen].body;
    expect(alert).toMatchObject({
      source: 'tessera',
      severity: 'high',
      alert: 'refresh_token_reuse',
      event: { type: 'token.reuse_detected', subjectId: account.id },
    });
    expect(JSON.stringify(alert)).not.toContain(tokens.refresh_token);
    expect(JSON.stringify(alert)).not.toContain(GOOD_PASSWORD);
  });

  it('posts one alert for an address failing logins across many accounts', async () => {
    const ip = uniqueIp();
    const seen = receiver.posts.length;
    for (let i = 0; i < 12; i += 1) {
      const reply = await api.post(
        '/v1/auth/login',
        { email: uniqueEmail('stuffed'), password: WRONG_PASSWORD },
        from(ip),
      );
      expect(reply.status).toBe(401);
    }

    await receiver.received(seen + 1);
    const stuffing = alertsOf('credential_stuffing');
    expect(stuffing).toHaveLength(1);
    expect(stuffing[0].body.event).toMatchObject({ type: 'login.failed', ip });
  });
});

describe('an account lock alert', () => {
  let receiver: Receiver;
  const env: Record<string, string> = { LOGIN_ACCOUNT_LIMIT: '2/900' };
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    env.ALERT_WEBHOOK_URL = receiver.url;
  });
  afterAll(async () => receiver.close());
  const { api } = appForSuite(env);

  it('is posted once when an account reaches its failure limit', async () => {
    const account = await registerFromElsewhere(api);
    for (let i = 0; i < 4; i += 1) {
      await api.post('/v1/auth/login', { email: account.email, password: WRONG_PASSWORD });
    }

    const [post] = await receiver.received(1);
    expect(post.body).toMatchObject({
      alert: 'account_locked',
      event: { type: 'rate_limited', details: { limit: 'login_account' } },
    });
    expect(JSON.stringify(post.body)).not.toContain(account.email);
  });
});

describe('alerts with the webhook down', () => {
  const { api } = appForSuite({ ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/unreachable' });

  it('still answers the request that raised the alert', async () => {
    const { tokens } = await registerAndLogin(api);
    const refresh = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
    await api.post('/oauth/token', refresh);

    const reuse = await api.post('/oauth/token', refresh);

    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
  });
});

describe('an admin-role alert', () => {
  let receiver: Receiver;
  const env: Record<string, string> = { ...ADMIN_SUITE_ENV };
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    env.ALERT_WEBHOOK_URL = receiver.url;
  });
  afterAll(async () => receiver.close());
  const { api } = appForSuite(env);

  it('is posted when someone is given the admin role, and not for other roles', async () => {
    const token = await adminToken(api);
    const account = await registerFromElsewhere(api);
    const setRoles = (roles: string[]) =>
      api.request('PUT', `/v1/admin/users/${account.id}/roles`, { roles }, { token });

    expect((await setRoles(['user'])).status).toBe(200);
    expect((await setRoles(['user', 'admin'])).status).toBe(200);

    const [post] = await receiver.received(1);
    expect(post.body).toMatchObject({
      alert: 'admin_role_granted',
      event: { type: 'role.changed', subjectId: account.id, details: { added: ['admin'] } },
    });
    expect(receiver.posts).toHaveLength(1);
  });
});
