import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { OpenAPIObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { concretePath, isBearerOperation, operationsOf, servedDocument } from './support/openapi';
import { appForSuite } from './support/suite-app';
import type { TestApp } from './support/test-app';

const REPO_ROOT = resolve(__dirname, '../../..');

/**
 * What @seriousme/openapi-schema-validator says of `document`. It is ESM-only and reads its
 * schemas through `import.meta`, so it runs in a plain Node process rather than under Jest.
 */
function validateOpenApi(document: OpenAPIObject): { valid: boolean; errors?: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const result = await new Validator().validate(JSON.parse(Buffer.concat(chunks).toString()));
    process.stdout.write(JSON.stringify(result));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    input: JSON.stringify(document),
    env: { PATH: process.env.PATH ?? '' },
  });
  return JSON.parse(output.toString());
}

/** Every `METHOD /path/{param}` the app routes, read from Fastify's tree (HEAD and docs aside). */
function servedRoutes(app: TestApp): string[] {
  const tree = app.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const prefixes: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    const path = (prefixes[depth - 1] ?? '') + match[2];
    prefixes[depth] = path;
    const methods = (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD');
    if (/^\/docs(\/|-json|$)/.test(path)) continue;
    for (const method of methods) routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes.sort();
}

function schemaOf(document: OpenAPIObject, ref: string): SchemaObject | undefined {
  return document.components?.schemas?.[ref.replace('#/components/schemas/', '')] as SchemaObject;
}

describe('the OpenAPI document', () => {
  const { app, api } = appForSuite();
  let document: OpenAPIObject;

  beforeAll(async () => {
    document = await servedDocument(api);
  });

  it('is valid OpenAPI 3 and names the service and its version', async () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Tessera', version: expect.any(String) });
    expect(validateOpenApi(document)).toEqual({ valid: true });
  });

  it('describes exactly the routes the app serves', () => {
    const documented = operationsOf(document).map(({ method, path }) => `${method} ${path}`);
    expect(documented.sort()).toEqual(servedRoutes(app));
  });

  it('gives every operation a tag, and bearer security and a 401 off the public routes', () => {
    for (const { method, path, operation } of operationsOf(document)) {
      expect({ route: `${method} ${path}`, tags: operation.tags?.length }).toEqual({
        route: `${method} ${path}`,
        tags: 1,
      });
      if (!isBearerOperation(operation)) continue;
      expect(operation.responses['401']).toBeDefined();
      expect(operation.responses['403']).toBeDefined();
    }
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({ scheme: 'bearer' });
  });

  it('marks as public exactly the routes that answer without a token', async () => {
    for (const { method, path, operation } of operationsOf(document)) {
      const reply = await api.request(method, concretePath(path, randomUUID()));
      const refused = reply.status === 401 && reply.body?.code === 'unauthenticated';
      expect({ route: `${method} ${path}`, refused }).toEqual({
        route: `${method} ${path}`,
        refused: isBearerOperation(operation),
      });
    }
  });

  it('lists errors as problem details, and as RFC 6749 errors under /oauth', () => {
    for (const { path, operation } of operationsOf(document)) {
      const oauth = path.startsWith('/oauth/');
      const errors = Object.entries(operation.responses).filter(([status]) => +status >= 400);
      for (const [, response] of errors) {
        const content = (response as ResponseObject).content ?? {};
        const type = oauth ? 'application/json' : 'application/problem+json';
        const schema = oauth ? 'OAuthError' : 'ProblemDetails';
        expect(content[type]?.schema).toEqual({ $ref: `#/components/schemas/${schema}` });
      }
    }
    const register = Object.keys(document.paths['/v1/auth/register'].post?.responses ?? {});
    expect(register).toEqual(expect.arrayContaining(['400', '409', '413', '415', '429', '503']));
    const problem = schemaOf(document, '#/components/schemas/ProblemDetails');
    expect(Object.keys(problem?.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors', 'requestId']),
    );
  });

  it('says which permission each admin route needs', () => {
    const users = document.paths['/v1/admin/users'];
    expect(users.get?.description).toContain('`user:read`');
    expect(users.post?.description).toContain('`user:create`');
    for (const { path, operation } of operationsOf(document)) {
      if (path.startsWith('/v1/admin/')) expect(operation.description).toMatch(/`[a-z]+:[a-z]+`/);
    }
  });

  it('points every request body at a schema that exists', () => {
    for (const { operation } of operationsOf(document)) {
      const body = operation.requestBody as { content?: Record<string, { schema?: any }> };
      for (const media of Object.values(body?.content ?? {})) {
        expect(schemaOf(document, media.schema.$ref)).toEqual(
          expect.objectContaining({ type: 'object' }),
        );
      }
    }
  });

  it('carries the DTO rules into the body schemas', () => {
    const register = schemaOf(document, '#/components/schemas/RegisterDto');
    expect(register).toMatchObject({
      required: expect.arrayContaining(['email', 'password']),
      additionalProperties: false,
      properties: {
        email: { type: 'string', maxLength: 320 },
        password: { type: 'string', maxLength: 1024 },
        displayName: { type: 'string', maxLength: 100 },
      },
    });
    expect(register?.required).not.toContain('displayName');
  });

  it('describes the OAuth endpoints as forms', () => {
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect']) {
      const body = document.paths[path].post?.requestBody as { content: Record<string, unknown> };
      expect(Object.keys(body.content)).toContain('application/x-www-form-urlencoded');
    }
    const token = schemaOf(document, '#/components/schemas/OAuthTokenRequest');
    expect(token?.required).toEqual(['grant_type']);
  });
});

describe('Swagger UI at /docs', () => {
  const { api } = appForSuite({ API_RATE_LIMIT: '2/60' });

  it('serves a page whose CSP lets its own scripts run, and keeps the other headers', async () => {
    const page = await api.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map(([, src]) => src);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const script = await api.get(new URL(src, 'http://host/docs').pathname);
      expect({ src, status: script.status }).toEqual({ src, status: 200 });
      expect(script.headers.get('content-type')).toMatch(/javascript/);
    }
  });

  it('leaves the API its restrictive CSP', async () => {
    const me = await api.get('/v1/me');
    expect(me.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('is never rate limited, while the API around it is', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await api.get('/docs-json')).status).toBe(200);
      expect((await api.get('/docs')).status).toBe(200);
    }
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.get('/v1/me')).status);
    expect(statuses).toContain(429);
  });
});

describe('with DOCS_ENABLED=false', () => {
  const { api } = appForSuite({ DOCS_ENABLED: 'false' });

  it('answers 404 at /docs and /docs-json', async () => {
    expect((await api.get('/docs')).status).toBe(404);
    expect((await api.get('/docs-json')).status).toBe(404);
    expect((await api.get('/docs/swagger-ui-bundle.js')).status).toBe(404);
  });
});
