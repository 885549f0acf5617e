import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthClientModule } from '../../../libs/auth-client/src';
import { DetectorsModule } from './detectors/detectors.module';
import { HealthController } from './health.controller';
import { ProblemFilter, validationPipe } from './problem.filter';
import type { ExampleSettings } from './settings';

/**
 * The detector registry: trusts Tessera through libs/auth-client and nothing else. Every route
 * is guarded (`guardAllRoutes`); `/health` opts out with `@Public()`. Revoked sessions and
 * disabled users are followed from Tessera's feed, so their tokens stop working within seconds.
 */
export async function createExampleApp(
  settings: ExampleSettings,
  options: { logger?: false } = {},
): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      AuthClientModule.forRoot({
        issuer: settings.issuer,
        audience: settings.audience,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        permissionCacheSeconds: settings.permissionCacheSeconds,
        revocations: { enabled: true },
        guardAllRoutes: true,
      }),
      DetectorsModule,
    ],
    controllers: [HealthController],
  })
  class ExampleModule {}

  const app = await NestFactory.create<NestFastifyApplication>(
    ExampleModule,
    new FastifyAdapter({ bodyLimit: 16 * 1024 }),
    { logger: options.logger ?? ['warn', 'error'] },
  );
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  return app;
}
