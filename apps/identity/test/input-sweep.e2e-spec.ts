import { randomUUID } from 'node:crypto';
import type { OpenAPIObject, ParameterObject, SchemaObject } from '@nestjs/swagger';
import { ADMIN_SUITE_ENV, adminToken } from './support/admin';
import type { Reply, RequestOptions } from './support/http';
import { concretePath, DocumentedOperation, operationsOf, servedDocument } from './support/openapi';
import {
  baseBodyOf,
  bodySchemaOf,
  NUL_STRING,
  SQL_STRINGS,
  stringFieldsOf,
  wrongTypeFor,
} from './support/sweep-bodies';
import { appForSuite } from './support/suite-app';

// Every route of /docs-json against hostile input, as the bootstrap admin so that permission
// checks do not answer before the handlers. Each test collects every bad answer before failing,
// so that one run names them all.

const NOT_A_UUID = "nope' OR '1'='1";
const LEAKS = [
  /\n\s+at |\bat \S+ \(/, // stack frames
  /QueryFailedError|syntax error at|violates .* constraint|relation "/i,
  /\b(SELECT|INSERT|UPDATE|DELETE)\b[\s\S]{0,200}\b(FROM|INTO|SET|WHERE)\b/,
  /[/\\](src|apps|dist|node_modules)[/\\]|\.[jt]s:\d+/, // file paths
];

interface Route extends DocumentedOperation {
  url: string;
  oauth: boolean;
  body?: SchemaObject;
}

/** What is wrong with an answer to a hostile request, or undefined when it is a proper refusal. */
function flaw(reply: Reply, route: Route, allowSuccess: boolean): string | undefined {
  const leak = LEAKS.find((pattern) => pattern.test(reply.text));
  if (leak) return `leaks ${leak}`;
  if (reply.status >= 500) return `answered ${reply.status}`;
  if (reply.status < 400) return allowSuccess ? undefined : `accepted it (${reply.status})`;
  const type = reply.headers.get('content-type') ?? '';
  if (route.oauth) {
    if (!type.startsWith('application/json') || typeof reply.body?.error !== 'string') {
      return 'is not an RFC 6749 error';
    }
  } else if (!type.startsWith('application/problem+json') || typeof reply.body?.code !== 'string') {
    return 'is not problem+json';
  }
  return undefined;
}

describe('every route against bad input', () => {
  const { api } = appForSuite(ADMIN_SUITE_ENV);
  let token: string;
  let routes: Route[];
  let failures: string[];

  beforeAll(async () => {
    token = await adminToken(api);
    const document: OpenAPIObject = await servedDocument(api);
    routes = operationsOf(document).map((op) => ({
      ...op,
      url: concretePath(op.path, randomUUID()),
      oauth: op.path.startsWith('/oauth/'),
      body: bodySchemaOf(document, op.operation),
    }));
  });

  beforeEach(() => {
    failures = [];
  });

  async function probe(
    route: Route,
    what: string,
    send: RequestOptions & { body?: unknown; url?: string },
    allowSuccess = false,
  ): Promise<void> {
    const { body, url, ...options } = send;
    const started = Date.now();
    // Under /oauth the Authorization header would be read as (failed) client authentication.
    const auth = route.oauth ? {} : { token };
    const reply = await api.request(route.method, url ?? route.url, body, { ...auth, ...options });
    const problem = flaw(reply, route, allowSuccess);
    if (problem) failures.push(`${route.method} ${route.path} ${what}: ${problem}: ${reply.text}`);
    // A pg_sleep(5) that ran would show here, whatever the status.
    if (Date.now() - started > 4000) failures.push(`${route.method} ${route.path} ${what}: slow`);
  }

  function json(raw: string): RequestOptions {
    return { raw, headers: { 'content-type': 'application/json' } };
  }

  const withBody = () => routes.filter((route) => route.body);

  it('refuses malformed JSON, a JSON array and a body over 64 KiB on every route with a body', async () => {
    for (const route of withBody()) {
      await probe(route, 'malformed JSON', json('{"a": 1,'));
      await probe(route, 'array', json('[{"a": 1}]'));
      await probe(route, '70 KiB', json(JSON.stringify({ pad: 'x'.repeat(70 * 1024) })));
    }
    expect(failures).toEqual([]);
  });

  it('refuses a wrong type in each property and an unknown field', async () => {
    for (const route of withBody()) {
      const schema = route.body as SchemaObject;
      const base = baseBodyOf(schema);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const body = { ...base, [name]: wrongTypeFor(property as SchemaObject) };
        await probe(route, `wrong type in ${name}`, { body });
      }
      // RFC 6749 §3.2: the OAuth endpoints ignore parameters they do not know.
      await probe(route, 'unknown field', { body: { ...base, isAdmin: true } }, route.oauth);
    }
    expect(failures).toEqual([]);
  });

  it('refuses prototype pollution, and the server process stays unpolluted', async () => {
    const pollutions = [
      '{"__proto__": {"polluted": "yes"}}',
      '{"constructor": {"prototype": {"polluted": "yes"}}}',
      '{"a": {"__proto__": {"polluted": "yes"}}}',
    ];
    for (const route of withBody()) {
      for (const raw of pollutions) await probe(route, raw, json(raw));
    }
    for (const route of routes.filter((candidate) => candidate.oauth)) {
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const raw = '__proto__[polluted]=yes&constructor[prototype][polluted]=yes&token=x';
      await probe(route, 'form pollution', { raw, headers: form }, true);
    }
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('never fails on SQL-looking or NUL-containing strings in any string field', async () => {
    for (const route of withBody()) {
      const schema = route.body as SchemaObject;
      for (const [name, place] of stringFieldsOf(schema)) {
        for (const value of [...SQL_STRINGS, NUL_STRING]) {
          // Fresh samples each time: a body that is valid may create something (a role, a user).
          const body = { ...baseBodyOf(schema), [name]: place(value) };
          await probe(route, `${JSON.stringify(value)} in ${name}`, { body }, true);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('never fails on SQL-looking or NUL-containing strings in query parameters', async () => {
    for (const route of routes) {
      const query = (route.operation.parameters ?? []) as ParameterObject[];
      for (const parameter of query.filter((p) => p.in === 'query')) {
        for (const value of [...SQL_STRINGS, NUL_STRING]) {
          const url = `${route.url}?${new URLSearchParams({ [parameter.name]: value })}`;
          await probe(route, `${JSON.stringify(value)} in ?${parameter.name}`, { url }, true);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses an id that is not a uuid and one that names nothing', async () => {
    for (const route of routes.filter((candidate) => candidate.path.includes('{'))) {
      const body = route.body ? baseBodyOf(route.body) : undefined;
      await probe(route, 'random uuid', { body });
      await probe(route, 'not a uuid', { body, url: concretePath(route.path, NOT_A_UUID) });
    }
    expect(failures).toEqual([]);
  });

  it('answers 415 to a text/plain body on every route that reads a body', async () => {
    // fetch cannot send a body with GET, and Fastify reads none there.
    for (const route of routes.filter((candidate) => candidate.method !== 'GET')) {
      const reply = await api.request(route.method, route.url, undefined, {
        token,
        raw: '{"a": 1}',
        headers: { 'content-type': 'text/plain' },
      });
      if (reply.status !== 415 || flaw(reply, route, false)) {
        failures.push(`${route.method} ${route.path}: ${reply.status} ${reply.text}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
