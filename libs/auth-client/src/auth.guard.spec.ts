import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { guardedApp } from '../test/support/guarded-app';
import { createTestIssuer, type TestIssuer } from './testing';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectUnauthenticated(
  reply: { statusCode: number; headers: Record<string, unknown>; json(): any },
  challenge: string,
) {
  expect(reply.statusCode).toBe(401);
  expect(reply.headers['www-authenticate']).toBe(challenge);
  expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(reply.json()).toEqual({
    type: 'urn:tessera:problem:unauthenticated',
    title: 'Authentication required',
    status: 401,
    detail: expect.any(String),
    code: 'unauthenticated',
  });
}

describe('AuthGuard verifying access tokens', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  const get = (headers: Record<string, string> = {}, url = '/detectors') =>
    app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    issuer = await createTestIssuer();
    app = await guardedApp(issuer.moduleOptions());
  });
  afterAll(async () => app.close());

  it('admits a valid token and hands its claims to the route', async () => {
    const sub = 'f6f1d2d4-2f7c-4a53-9d6b-1a2b3c4d5e6f';

    const reply = await get(bearer(await issuer.issueTestToken({ sub })));

    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ sub });
  });

  it('admits a token that expired within the clock tolerance', async () => {
    const token = await issuer.issueTestToken({}, { expiresIn: -10 });

    expect((await get(bearer(token))).statusCode).toBe(200);
  });

  it.each<[string, () => Promise<string>]>([
    ['an expired token', () => issuer.issueTestToken({}, { expiresIn: -120 })],
    ['a token for another audience', () => issuer.issueTestToken({ aud: 'billing' })],
    ['a token from another issuer', () => issuer.issueTestToken({ iss: 'https://evil.test' })],
    ['a token whose typ is not at+jwt', () => issuer.issueTestToken({}, { typ: 'JWT' })],
    [
      'a token signed by a key not in the JWKS',
      () => issuer.issueTestToken({}, { foreignKey: true }),
    ],
    ['a token without a jti', () => issuer.issueTestToken({ jti: undefined })],
    [
      'a token whose payload was altered',
      async () => {
        const [header, , signature] = (await issuer.issueTestToken()).split('.');
        const payload = Buffer.from(JSON.stringify({ sub: 'someone-else' })).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    ['something that is not a JWT', async () => 'not-a-token'],
  ])('refuses %s with 401 invalid_token', async (_, tokenOf) => {
    expectUnauthenticated(await get(bearer(await tokenOf())), 'Bearer error="invalid_token"');
  });

  it('refuses a token signed with an algorithm outside the allow-list', async () => {
    const es = await createTestIssuer({ alg: 'ES256' });
    const token = await es.issueTestToken();
    const rsOnly = await guardedApp(es.moduleOptions({ algorithms: ['RS256'] }));
    try {
      const reply = await rsOnly.inject({
        method: 'GET',
        url: '/detectors',
        headers: bearer(token),
      });
      expectUnauthenticated(reply, 'Bearer error="invalid_token"');
    } finally {
      await rsOnly.close();
    }
  });

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    expectUnauthenticated(await get(), 'Bearer');
  });

  it('never reads a token from the query string', async () => {
    const token = await issuer.issueTestToken();

    expectUnauthenticated(await get({}, `/detectors?access_token=${token}`), 'Bearer');
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b c'])(
    'refuses the Authorization header %j',
    async (header) => {
      expectUnauthenticated(await get({ authorization: header }), 'Bearer error="invalid_token"');
    },
  );

  it('lets a @Public() route through without a token', async () => {
    expect((await get({}, '/health')).statusCode).toBe(200);
  });
});
