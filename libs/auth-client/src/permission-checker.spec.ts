import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { fakeIssuer } from '../test/support/fake-issuer';
import { guardedApp } from '../test/support/guarded-app';
import { createTestIssuer, type TestIssuer } from './testing';

const CREDENTIALS = { clientId: 'svc_detectors', clientSecret: 'a secret of the detector service' };

describe('@RequirePermissions asking Tessera', () => {
  let keys: TestIssuer;
  let tessera: Awaited<ReturnType<typeof fakeIssuer>>;
  let app: NestFastifyApplication;
  /** What the fake Tessera answers to /v1/authz/check and how often it rejects the client token. */
  let allowed: boolean | 'fail';
  let rejectClientTokens: number;
  let issued: number;

  beforeAll(async () => {
    tessera = await fakeIssuer(({ path }) => {
      if (path === '/oauth/token') {
        issued += 1;
        return { status: 200, body: { access_token: `client-token-${issued}`, expires_in: 900 } };
      }
      if (path === '/v1/authz/check') {
        if (rejectClientTokens > 0) {
          rejectClientTokens -= 1;
          return { status: 401, body: { code: 'unauthenticated' } };
        }
        if (allowed === 'fail') return { status: 500, body: { code: 'internal_error' } };
        return { status: 200, body: { subject: 'x', allowed, results: {} } };
      }
      return { status: 404 };
    });
    // Tokens name the fake Tessera as their issuer; their keys are the test issuer's.
    keys = await createTestIssuer({ issuer: tessera.url });
    app = await guardedApp(
      keys.moduleOptions({ ...CREDENTIALS, permissionCacheSeconds: 1, requestTimeoutSeconds: 2 }),
    );
  });
  beforeEach(() => {
    tessera.seen.length = 0;
    allowed = true;
    rejectClientTokens = 0;
    issued = 0;
  });
  afterAll(async () => {
    await app.close();
    await tessera.close();
  });

  const create = (token: string) =>
    app.inject({
      method: 'POST',
      url: '/detectors',
      headers: { authorization: `Bearer ${token}` },
    });

  it('asks once for all of the route’s permissions, with the user’s token, as the service', async () => {
    const token = await keys.issueTestToken();

    expect((await create(token)).statusCode).toBe(201);

    const [check] = tessera.requestsTo('/v1/authz/check');
    expect(JSON.parse(check.body)).toEqual({
      token,
      permissions: ['detector:create', 'detector:read'],
    });
    expect(check.authorization).toMatch(/^Bearer client-token-\d+$/);
    const [grant] = tessera.requestsTo('/oauth/token');
    expect(grant.body).toBe('grant_type=client_credentials');
    const basic = `${CREDENTIALS.clientId}:${CREDENTIALS.clientSecret}`.replace(/ /g, '+');
    expect(grant.authorization).toBe(`Basic ${Buffer.from(basic).toString('base64')}`);
  });

  it('reuses an answer for the same token for the cache time, then asks again', async () => {
    const token = await keys.issueTestToken();
    await create(token);
    allowed = false;

    expect((await create(token)).statusCode).toBe(201);
    expect(tessera.requestsTo('/v1/authz/check')).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await create(token)).statusCode).toBe(403);
  });

  it('answers 403 as problem details when Tessera says no', async () => {
    allowed = false;

    const reply = await create(await keys.issueTestToken());

    expect(reply.statusCode).toBe(403);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reply.json()).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('keeps its client token, and fetches a new one once when Tessera rejects it', async () => {
    await create(await keys.issueTestToken());
    tessera.seen.length = 0;
    await create(await keys.issueTestToken());
    expect(tessera.requestsTo('/oauth/token')).toHaveLength(0);

    rejectClientTokens = 1;
    expect((await create(await keys.issueTestToken())).statusCode).toBe(201);
    expect(tessera.requestsTo('/oauth/token')).toHaveLength(1);
  });

  it('answers 503 with Retry-After, never 2xx, when Tessera fails', async () => {
    allowed = 'fail';

    const reply = await create(await keys.issueTestToken());

    expect(reply.statusCode).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(reply.json()).toMatchObject({ status: 503, code: 'unavailable' });
  });

  it('answers 503 when Tessera cannot be reached at all', async () => {
    const nowhere = await createTestIssuer({ issuer: 'http://127.0.0.1:9' });
    const cutOff = await guardedApp(nowhere.moduleOptions(CREDENTIALS));
    try {
      const reply = await cutOff.inject({
        method: 'POST',
        url: '/detectors',
        headers: { authorization: `Bearer ${await nowhere.issueTestToken()}` },
      });
      expect(reply.statusCode).toBe(503);
      expect(reply.headers['retry-after']).toBe('5');
    } finally {
      await cutOff.close();
    }
  });
});
