import { GOOD_PASSWORD, register, uniqueEmail } from './support/accounts';
import { Client, Reply } from './support/http';
import { appForSuite } from './support/suite-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectProblem(reply: Reply, status: number, code?: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      code: code ?? expect.any(String),
    }),
  );
}

function expectSecurityHeaders(reply: Reply): void {
  expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  expect(reply.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
  expect(reply.headers.get('x-powered-by')).toBeNull();
}

describe('the shape of errors and the headers of every response', () => {
  const { api } = appForSuite({ LOGIN_IP_LIMIT: '100000/60' });

  type Send = (api: Client, headers: Record<string, string>) => Promise<Reply>;
  const TEXT = { 'content-type': 'text/plain' };

  /** One request per kind of answer, from 200 to 415. */
  const samples: [string, Send][] = [
    ['200 liveness', (c, headers) => c.get('/health/live', { headers })],
    [
      '201 registration',
      (c, headers) =>
        c.post('/v1/auth/register', { email: uniqueEmail(), password: GOOD_PASSWORD }, { headers }),
    ],
    ['400 validation', (c, headers) => c.post('/v1/auth/register', { email: 5 }, { headers })],
    ['401 missing token', (c, headers) => c.get('/v1/me', { headers })],
    ['404 unknown route', (c, headers) => c.get('/v1/nothing-here', { headers })],
    [
      '413 large body',
      (c, headers) => c.post('/v1/auth/login', { email: 'x'.repeat(70_000) }, { headers }),
    ],
    [
      '415 text body',
      (c, headers) =>
        c.post('/v1/auth/login', undefined, { raw: 'hi', headers: { ...TEXT, ...headers } }),
    ],
  ];

  it.each(samples)('sends the security headers on a %s', async (label, send) => {
    const reply = await send(api, {});
    expect(reply.status).toBe(Number(label.slice(0, 3)));
    expectSecurityHeaders(reply);
  });

  it.each(samples)('echoes a well-formed x-request-id on a %s', async (_, send) => {
    const id = `trace-${Math.random().toString(36).slice(2)}.A_9:z`;
    const reply = await send(api, { 'x-request-id': id });
    expect(reply.headers.get('x-request-id')).toBe(id);
  });

  it.each(samples)('generates an x-request-id when none is sent on a %s', async (_, send) => {
    const first = await send(api, {});
    const second = await send(api, {});
    expect(first.headers.get('x-request-id')).toMatch(UUID);
    expect(second.headers.get('x-request-id')).toMatch(UUID);
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
  });

  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await api.get('/v1/does-not-exist'), 404, 'not_found');
    expectProblem(await api.delete('/v1/auth/login'), 404, 'not_found');
  });

  it('lists the fields that failed validation, each with a message', async () => {
    const reply = await api.post('/v1/auth/register', { email: 5, password: GOOD_PASSWORD });
    expectProblem(reply, 400, 'validation_failed');
    expect(reply.body.errors.length).toBeGreaterThan(0);
    for (const error of reply.body.errors) {
      expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
    }
    expect(reply.body.errors.map((e: { field: string }) => e.field)).toContain('email');
  });

  it('answers problems with a stable code for each kind of refusal', async () => {
    const { email } = await register(api);
    expectProblem(
      await api.post('/v1/auth/register', { email, password: GOOD_PASSWORD }),
      409,
      'email_taken',
    );
    expectProblem(
      await api.post('/v1/auth/login', { email, password: `${GOOD_PASSWORD}!` }),
      401,
      'invalid_credentials',
    );
    expectProblem(await api.get('/v1/me'), 401);
    expectProblem(await api.post('/v1/auth/login', { email: 'x'.repeat(70_000) }), 413);
  });

  it.each([
    ['500 characters long', 'a'.repeat(500)],
    ['holding spaces', 'abc def'],
    ['holding markup', '<script>alert(1)</script>'],
  ])('replaces an x-request-id %s with a generated one', async (_, id) => {
    const reply = await api.get('/v1/nowhere', { headers: { 'x-request-id': id } });
    expect(reply.headers.get('x-request-id')).toMatch(UUID);
    expect(reply.text).not.toContain(id);
  });

  it('marks token responses as not to be stored', async () => {
    const { email, password } = await register(api);
    const login = await api.post('/v1/auth/login', { email, password });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toMatch(/no-store/);

    const refreshed = await api.post('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: login.body.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toMatch(/no-store/);
  });

  it('challenges with WWW-Authenticate: Bearer on every 401 of a bearer route', async () => {
    const missing = await api.get('/v1/me');
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer\b/);

    const garbage = await api.get('/v1/me', { token: 'not-a-token' });
    expectProblem(garbage, 401);
    expect(garbage.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);

    const patch = await api.patch('/v1/me', { displayName: 'x' });
    expect(patch.status).toBe(401);
    expect(patch.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });
});
