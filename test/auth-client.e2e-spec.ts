import { Controller, Delete, Get, Module, Param, Post } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { registerAndLogin } from '../apps/identity/test/support/accounts';
import { ADMIN_SUITE_ENV, adminToken, createRoleInDb } from '../apps/identity/test/support/admin';
import { createClient } from '../apps/identity/test/support/clients';
import { client, untilStatus, type Client } from '../apps/identity/test/support/http';
import { freePort, startApp, type TestApp } from '../apps/identity/test/support/test-app';
import {
  AuthClientModule,
  Claims,
  RequirePermissions,
  type AccessTokenClaims,
} from '../libs/auth-client/src';

/** Short, so that a grant shows within a test; the default is 5 s. */
const PERMISSION_CACHE_SECONDS = 1;

@Controller('detectors')
class DetectorsController {
  @Get()
  list(@Claims() claims: AccessTokenClaims) {
    return { items: [], caller: claims.sub };
  }

  @Post()
  @RequirePermissions('detector:create')
  create() {
    return { id: 'd-1' };
  }

  @Delete(':id')
  @RequirePermissions('detector:delete', 'detector:read')
  remove(@Param('id') id: string) {
    return { deleted: id };
  }
}

/** A resource server in miniature: trusts Tessera through the kit and nothing else. */
async function startResourceServer(
  issuer: string,
  credentials: { clientId: string; clientSecret: string },
): Promise<{ app: NestFastifyApplication; api: Client }> {
  @Module({
    imports: [
      AuthClientModule.forRoot({
        issuer,
        audience: 'api',
        ...credentials,
        permissionCacheSeconds: PERMISSION_CACHE_SECONDS,
        revocations: { enabled: true, waitSeconds: 5 },
        guardAllRoutes: true,
      }),
    ],
    controllers: [DetectorsController],
  })
  class ResourceModule {}

  const app = await NestFactory.create<NestFastifyApplication>(
    ResourceModule,
    new FastifyAdapter(),
    { logger: false },
  );
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  return { app, api: client(`http://127.0.0.1:${port}`) };
}

describe('a resource server trusting Tessera through libs/auth-client', () => {
  let tessera: TestApp;
  let identity: Client;
  let resource: { app: NestFastifyApplication; api: Client };
  let admin: string;

  beforeAll(async () => {
    tessera = await startApp(ADMIN_SUITE_ENV);
    identity = client(tessera.url);
    admin = await adminToken(identity);
    await createRoleInDb(tessera, 'authz-service', ['authz:check']);
    await createRoleInDb(tessera, 'detector-editor', ['detector:create']);
    const service = await createClient(identity, admin, ['authz-service'], 'detector registry');
    resource = await startResourceServer(tessera.config.issuer, service);
  });

  afterAll(async () => {
    // The resource server first: its follower holds a long poll open on Tessera.
    await resource?.app.close();
    await tessera?.close();
  });

  it('admits a user logged in at Tessera, and refuses a request without a token', async () => {
    const { account, tokens } = await registerAndLogin(identity);

    const reply = await resource.api.get('/detectors', { token: tokens.access_token });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ items: [], caller: account.id });
    const anonymous = await resource.api.get('/detectors');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 403 without the permission, and 200 once an admin grants a role holding it', async () => {
    const { account, tokens } = await registerAndLogin(identity);
    const create = () => resource.api.post('/detectors', {}, { token: tokens.access_token });

    const refused = await create();
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ status: 403, code: 'forbidden' });

    const grant = await identity.request(
      'PUT',
      `/v1/admin/users/${account.id}/roles`,
      { roles: ['user', 'detector-editor'] },
      { token: admin },
    );
    expect(grant.status).toBe(200);

    // The refusal may stay cached for PERMISSION_CACHE_SECONDS, no longer.
    expect((await untilStatus(create, 201, (PERMISSION_CACHE_SECONDS + 3) * 1000)).status).toBe(
      201,
    );
  });

  it('needs every permission a route names', async () => {
    const { account, tokens } = await registerAndLogin(identity);
    await identity.request(
      'PUT',
      `/v1/admin/users/${account.id}/roles`,
      { roles: ['user', 'detector-editor'] },
      { token: admin },
    );

    const reply = await resource.api.delete('/detectors/d-1', undefined, {
      token: tokens.access_token,
    });

    expect(reply.status).toBe(403);
  });

  it('refuses a logged-out session’s token within seconds, without asking per request', async () => {
    const { tokens } = await registerAndLogin(identity);
    const list = () => resource.api.get('/detectors', { token: tokens.access_token });
    expect((await list()).status).toBe(200);

    await identity.post('/oauth/revoke', { token: tokens.refresh_token });

    const started = Date.now();
    const refused = await untilStatus(list, 401);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses the tokens of a user an admin disabled', async () => {
    const { account, tokens } = await registerAndLogin(identity);
    const list = () => resource.api.get('/detectors', { token: tokens.access_token });
    expect((await list()).status).toBe(200);

    await identity.patch(`/v1/admin/users/${account.id}`, { disabled: true }, { token: admin });

    expect((await untilStatus(list, 401)).status).toBe(401);
  });
});
