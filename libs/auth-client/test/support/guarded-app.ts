import { Controller, Get, Post } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AuthClientModule } from '../../src/auth-client.module';
import type { AccessTokenClaims, AuthClientOptions } from '../../src/auth-client.options';
import { Claims, Public, RequirePermissions } from '../../src/decorators';

@Controller()
class GuardedController {
  @Get('detectors')
  list(@Claims() claims: AccessTokenClaims) {
    return { sub: claims.sub };
  }

  @Post('detectors')
  @RequirePermissions('detector:create', 'detector:read')
  create() {
    return { created: true };
  }

  @Get('health')
  @Public()
  health() {
    return { ok: true };
  }
}

/**
 * A resource server in miniature for the kit's own tests: the module with `options` guarding
 * every route, served through Fastify's `inject` (no port).
 */
export async function guardedApp(options: AuthClientOptions): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AuthClientModule.forRoot({ guardAllRoutes: true, ...options })],
    controllers: [GuardedController],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
