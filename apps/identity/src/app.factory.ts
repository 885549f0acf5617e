import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { Problem } from './common/problem';
import { StrictValidationPipe } from './common/validation.pipe';
import type { AppConfig } from './config/config';
import { resolveDevSecrets } from './config/dev-secrets';
import { setUpDocs } from './docs/docs';
import { registerCors } from './http/cors';
import { closeConnectionsOnShutdown } from './http/graceful-close';
import { refuseUnknownMethods } from './http/methods';
import { registerSecurityHeaders } from './http/security-headers';
import { IpBlocksService } from './ip-blocks/ip-blocks.service';
import { registerIpGate } from './ip-blocks/ip-gate';
import { instrumentHttp } from './metrics/http-metrics';
import { MetricsService } from './metrics/metrics.service';

export const BODY_LIMIT_BYTES = 64 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Echoes a well-formed `x-request-id`, otherwise makes one. */
function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

function isForm(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') ?? false;
}

/**
 * Builds the whole service (not yet listening): Fastify with the body limit and headers, the
 * strict validation pipe, structured logs. `npm start` and the end-to-end tests both use it.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const devKeyWarning = resolveDevSecrets(config);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    trustProxy: config.trustProxy ?? false,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
  });
  const fastify = adapter.getInstance();
  // First, so that every answer carries them, including refusals made by the hooks below.
  await registerSecurityHeaders(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    (request.raw as typeof request.raw & { id?: string }).id = String(request.id);
    void reply.header('x-request-id', request.id);
  });
  const ipGate = registerIpGate(fastify);
  await registerCors(fastify, config.corsOrigins);
  refuseUnknownMethods(fastify);
  closeConnectionsOnShutdown(fastify);
  fastify.addHook('onRequest', async (request) => {
    // A form is a "simple" cross-site request: only the OAuth routes, where RFC 6749 asks for one,
    // read it, so that no other page can register or log someone in from a victim's browser.
    if (isForm(request.headers['content-type']) && !request.url.startsWith('/oauth/')) {
      throw new Problem(
        415,
        'unsupported_media_type',
        'Unsupported media type',
        'Send application/json.',
      );
    }
  });
  // Only JSON (and forms, for /oauth) are read; any other media type is a 415.
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('preValidation', async (request) => {
    // The parsers would turn bytes that are not UTF-8 into U+FFFD; refuse them instead.
    const raw = (request as FastifyRequest & { rawBody?: Buffer }).rawBody;
    if (raw && !isUtf8(raw)) throw Problem.badRequest('The body is not valid UTF-8.');
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    rawBody: true,
    // Rethrow start-up errors (a locked DATA_DIR, an unreachable database) instead of exiting.
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  if (devKeyWarning) logger.warn(devKeyWarning, 'Config');
  app.useGlobalPipes(new StrictValidationPipe());
  const metrics = app.get(MetricsService);
  instrumentHttp(fastify, metrics);
  const blocks = app.get(IpBlocksService);
  ipGate.bind(
    (ip) => blocks.isBlocked(ip),
    () => metrics.countBlockedRequest(),
  );
  app.enableShutdownHooks();
  setUpDocs(app, config);
  return app;
}
