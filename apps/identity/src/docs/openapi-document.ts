import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { dtoSchemas, queryParametersOf, SCHEMA_REF_PREFIX } from './dto-schemas';
import { OAUTH_OPERATIONS, OAUTH_SCHEMAS } from './oauth-forms';
import { errorStatusesOf } from './operation-errors';
import { ERROR_SCHEMAS, errorResponse } from './problem-schemas';
import { RouteFacts, routeFactsOf } from './route-facts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const SUCCESS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '204': 'No content' };

/** The version in the service's package.json, found upwards from here (src/ or dist/). */
function serviceVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'tessera' && manifest.version) return manifest.version;
  }
  return '0.0.0';
}

/** Who may call it, in words, for the operation's description. */
function accessOf(facts: RouteFacts): string {
  if (facts.isPublic) return 'No access token needed.';
  if (!facts.permissions.length) return 'Needs an access token.';
  const names = facts.permissions.map((permission) => `\`${permission}\``).join(', ');
  return `Needs an access token and the permission ${names}.`;
}

/** The schema names `value` refers to, however deep. */
function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  const text = JSON.stringify(value);
  for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) found.add(name);
  return found;
}

/** Only the DTO schemas the operations use (and those they nest), not every validated class. */
function usedSchemas(
  document: OpenAPIObject,
  known: Record<string, SchemaObject>,
): Record<string, SchemaObject> {
  const used: Record<string, SchemaObject> = {};
  const pending = [...refsIn(document.paths)];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const schema = known[name];
    if (!schema || used[name]) continue;
    used[name] = schema;
    pending.push(...refsIn(schema));
  }
  return used;
}

function complete(
  op: OperationObject,
  method: string,
  path: string,
  facts: RouteFacts,
  dtos: Record<string, SchemaObject>,
): void {
  const oauth = OAUTH_OPERATIONS[path];
  op.tags = [facts.tag];
  op.description = [oauth?.description, accessOf(facts)].filter(Boolean).join(' ');
  if (!facts.isPublic) op.security = [{ bearerAuth: [] }];
  if (oauth) Object.assign(op, { requestBody: oauth.requestBody, security: oauth.security });
  if (path === '/oauth/token') {
    op.responses['200'] = {
      description: 'OK',
      content: { 'application/json': { schema: { $ref: `${SCHEMA_REF_PREFIX}TokenResponse` } } },
    };
  }

  const query = facts.queryDto && dtos[facts.queryDto.name];
  if (query) {
    const others = (op.parameters ?? []).filter((p) => (p as ParameterObject).in !== 'query');
    op.parameters = [...others, ...queryParametersOf(query)];
  }
  for (const [status, response] of Object.entries(op.responses)) {
    if (response && 'description' in response && !response.description) {
      response.description = SUCCESS_TEXT[status] ?? 'OK';
    }
  }

  const shape = { method, path, isPublic: facts.isPublic, hasQuery: Boolean(query) };
  for (const [status, description] of errorStatusesOf(shape)) {
    op.responses[String(status)] = errorResponse(
      status,
      path.startsWith('/oauth/'),
      description,
      !facts.isPublic,
    );
  }
}

/**
 * The OpenAPI document of every route: `@nestjs/swagger` finds the paths and parameters; the
 * bodies' schemas come from their class-validator rules (the ones the validation pipe applies),
 * and the errors, security, tags and the OAuth forms from the routes' own metadata.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tessera')
    .setDescription('Identity service: users, roles, sessions, tokens.')
    .setVersion(serviceVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearerAuth')
    .addBasicAuth({ type: 'http', scheme: 'basic' }, 'clientBasic')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const facts = routeFactsOf(app);
  const dtos = dtoSchemas();

  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      const known = op?.operationId ? facts.get(op.operationId) : undefined;
      if (op && known) complete(op, method, path, known, dtos);
    }
  }

  const tags = [...new Set([...facts.values()].map((known) => known.tag))].sort();
  document.tags = tags.map((name) => ({ name }));
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...usedSchemas(document, dtos),
      ...OAUTH_SCHEMAS,
      ...ERROR_SCHEMAS,
    },
  };
  return document;
}
