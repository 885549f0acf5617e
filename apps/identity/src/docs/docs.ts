import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/config';
import { buildOpenApiDocument } from './openapi-document';

export const DOCS_PATH = '/docs';

/**
 * Swagger UI is a page: it loads its own scripts, styles (inline ones too) and data: images, and
 * calls the API from the same origin. Nothing else is allowed, and it still may not be framed.
 */
export const DOCS_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

function isDocsRoute(url: string): boolean {
  return url === DOCS_PATH || url === `${DOCS_PATH}-json` || url.startsWith(`${DOCS_PATH}/`);
}

/**
 * Serves the OpenAPI document at /docs-json and Swagger UI at /docs (and its assets under
 * /docs/) when DOCS_ENABLED; otherwise neither route exists (404). They are plain Fastify routes,
 * outside Nest's guards: public and never rate limited. Helmet's per-route options give them the
 * looser CSP above and leave every other header as on the API. The document is built on first
 * request, so that apps that never serve it do not pay for the scan. Call before listen.
 */
export function setUpDocs(app: NestFastifyApplication, config: Pick<AppConfig, 'docsEnabled'>) {
  if (!config.docsEnabled) return;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      if (!isDocsRoute(route.url)) return;
      // Helmet reads `config.helmet` at request time and merges it over its global options.
      route.config = {
        ...route.config,
        helmet: { contentSecurityPolicy: DOCS_CONTENT_SECURITY_POLICY },
      };
    });
  // A factory: Swagger builds the document on the first request and keeps it.
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    raw: ['json'],
    customSiteTitle: 'Tessera API',
  });
}
