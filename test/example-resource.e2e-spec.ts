import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { resolve } from 'node:path';
import { registerAndLogin } from '../apps/identity/test/support/accounts';
import { ADMIN_SUITE_ENV, adminToken } from '../apps/identity/test/support/admin';
import { createClient } from '../apps/identity/test/support/clients';
import { client, untilStatus, type Client } from '../apps/identity/test/support/http';
import { freePort, startApp, type TestApp } from '../apps/identity/test/support/test-app';
import { createExampleApp } from '../apps/example-resource/src/app.factory';

/** The example's cache of permission answers, shortened so that a grant shows within a test. */
const PERMISSION_CACHE_SECONDS = 1;

describe('the example detector registry, beside Tessera with the roles of examples/roles.yaml', () => {
  let tessera: TestApp;
  let identity: Client;
  let example: NestFastifyApplication;
  let registry: Client;
  let admin: string;

  beforeAll(async () => {
    tessera = await startApp({
      ...ADMIN_SUITE_ENV,
      ROLES_FILE: resolve(__dirname, '../examples/roles.yaml'),
    });
    identity = client(tessera.url);
    admin = await adminToken(identity);
    const service = await createClient(identity, admin, ['authz-service'], 'detector registry');
    const port = await freePort();
    example = await createExampleApp(
      {
        port,
        host: '127.0.0.1',
        issuer: tessera.config.issuer,
        audience: 'api',
        clientId: service.clientId,
        clientSecret: service.clientSecret,
        permissionCacheSeconds: PERMISSION_CACHE_SECONDS,
      },
      { logger: false },
    );
    await example.listen({ port, host: '127.0.0.1' });
    registry = client(`http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    // The registry first: its revocation follower holds a long poll open on Tessera.
    await example?.close();
    await tessera?.close();
  });

  const grant = (userId: string, roles: string[]) =>
    identity.request('PUT', `/v1/admin/users/${userId}/roles`, { roles }, { token: admin });

  it('refuses a person without the permission, serves them once an admin grants it, and stops soon after they log out', async () => {
    const { account, tokens } = await registerAndLogin(identity);
    const list = () => registry.get('/detectors', { token: tokens.access_token });

    const refused = await list();
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 403, code: 'forbidden' });

    expect((await grant(account.id, ['user', 'viewer'])).status).toBe(200);
    const served = await untilStatus(list, 200, (PERMISSION_CACHE_SECONDS + 3) * 1000);
    expect(served.status).toBe(200);
    expect(served.body).toEqual({ items: expect.any(Array) });

    const logout = await identity.post('/oauth/revoke', { token: tokens.refresh_token });
    expect(logout.status).toBe(200);
    const started = Date.now();
    const afterLogout = await untilStatus(list, 401);
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('lets a data scientist register a detector that a viewer then reads, and leaves deleting to admins', async () => {
    const scientist = await registerAndLogin(identity);
    const viewer = await registerAndLogin(identity);
    await grant(scientist.account.id, ['user', 'data_scientist']);
    await grant(viewer.account.id, ['user', 'viewer']);

    const created = await registry.post(
      '/detectors',
      { name: 'card-fraud', description: 'Scores card payments' },
      { token: scientist.tokens.access_token },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'card-fraud', createdBy: scientist.account.id });
    const id = created.body.id as string;

    const read = await registry.get(`/detectors/${id}`, { token: viewer.tokens.access_token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const viewerCreates = await registry.post(
      '/detectors',
      { name: 'viewer-made' },
      { token: viewer.tokens.access_token },
    );
    expect(viewerCreates.status).toBe(403);

    const scientistDeletes = await registry.delete(`/detectors/${id}`, undefined, {
      token: scientist.tokens.access_token,
    });
    expect(scientistDeletes.status).toBe(403);
    const adminDeletes = await registry.delete(`/detectors/${id}`, undefined, { token: admin });
    expect(adminDeletes.status).toBe(204);
    const gone = await registry.get(`/detectors/${id}`, { token: viewer.tokens.access_token });
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('asks for a token on every route but /health, and refuses one that is not Tessera’s', async () => {
    expect((await registry.get('/health')).status).toBe(200);

    const anonymous = await registry.get('/detectors');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');

    const { tokens } = await registerAndLogin(identity);
    const [header, payload] = tokens.access_token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    const refused = await registry.get('/detectors', { token: forged });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('answers a bad detector with a 400 problem naming the field, and stores nothing', async () => {
    const before = await registry.get('/detectors', { token: admin });

    const badName = await registry.post('/detectors', { name: 'a b;drop' }, { token: admin });
    expect(badName.status).toBe(400);
    expect(badName.body).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(badName.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    const unknownField = await registry.post(
      '/detectors',
      { name: 'ok', owner: 'someone-else' },
      { token: admin },
    );
    expect(unknownField.status).toBe(400);
    const notUuid = await registry.get('/detectors/not-a-uuid', { token: admin });
    expect(notUuid.status).toBe(400);
    expect(notUuid.body).toMatchObject({ status: 400, code: 'bad_request' });

    expect((await registry.get('/detectors', { token: admin })).body).toEqual(before.body);
  });
});
