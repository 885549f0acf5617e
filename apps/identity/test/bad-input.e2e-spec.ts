import { GOOD_PASSWORD, registerAndLogin, uniqueEmail } from './support/accounts';
import { Reply, RequestOptions } from './support/http';
import { appForSuite } from './support/suite-app';

// Limits high enough that the many refused requests here are never rate limited.
const LIMITS = { LOGIN_IP_LIMIT: '100000/60', API_RATE_LIMIT: '100000/60' };

interface Route {
  method: 'POST' | 'PATCH';
  path: string;
  /** A body the route accepts, with `field` as its one string field worth attacking. */
  valid: () => Record<string, unknown>;
  field: string;
}

const ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/v1/auth/register',
    valid: () => ({ email: uniqueEmail('bad'), password: GOOD_PASSWORD }),
    field: 'email',
  },
  {
    method: 'POST',
    path: '/v1/auth/login',
    valid: () => ({ email: uniqueEmail('bad'), password: GOOD_PASSWORD }),
    field: 'email',
  },
  { method: 'PATCH', path: '/v1/me', valid: () => ({ displayName: 'Ada' }), field: 'displayName' },
];

/** Refuses stack frames, source paths and database internals anywhere in a response. */
function expectNothingInternal(reply: Reply): void {
  expect(reply.status).toBeLessThan(500);
  expect(reply.text).not.toMatch(/\n\s+at |\bat \S+ \(/);
  expect(reply.text).not.toMatch(/\/(src|apps|node_modules)\/|\.[jt]s:\d+/);
  expect(reply.text).not.toMatch(/QueryFailedError|syntax error at|\bSELECT\b|\bINSERT\b/i);
}

function expectClientError(reply: Reply, status?: number, code?: string): void {
  expectNothingInternal(reply);
  expect(reply.status).toBeGreaterThanOrEqual(400);
  if (status !== undefined) expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (code !== undefined) expect(reply.body.code).toBe(code);
}

describe('bad input on the account routes', () => {
  const { app, api } = appForSuite(LIMITS);
  let token: string;

  beforeAll(async () => {
    token = (await registerAndLogin(api)).tokens.access_token;
  });

  function send(route: Route, body: unknown, options: RequestOptions = {}) {
    return api.request(route.method, route.path, body, { token, ...options });
  }

  function sendRaw(route: Route, raw: string | Buffer, contentType = 'application/json') {
    return send(route, undefined, { raw, headers: { 'content-type': contentType } });
  }

  describe.each(ROUTES)('$method $path', (route) => {
    it('answers 400 malformed_json to a body that is not JSON', async () => {
      const reply = await sendRaw(route, `{"${route.field}": "a",`);
      expectClientError(reply, 400, 'malformed_json');
    });

    it('answers 400 malformed_json to an empty JSON body', async () => {
      expectClientError(await sendRaw(route, ''), 400, 'malformed_json');
    });

    it('answers 413 to a body over 64 KiB', async () => {
      const reply = await send(route, { ...route.valid(), [route.field]: 'x'.repeat(70 * 1024) });
      expectClientError(reply, 413, 'payload_too_large');
    });

    it('answers 415 to a text/plain body', async () => {
      const reply = await sendRaw(route, JSON.stringify(route.valid()), 'text/plain');
      expectClientError(reply, 415, 'unsupported_media_type');
    });

    it.each([
      ['a number where a string belongs', (r: Route) => ({ ...r.valid(), [r.field]: 42 })],
      ['an array body', (r: Route) => [r.valid()]],
      ['a null body', () => null],
      ['a string body', () => 'displayName'],
    ])('answers 400 validation_failed to %s', async (_, body) => {
      const reply = await sendRaw(route, JSON.stringify(body(route)));
      expectClientError(reply, 400, 'validation_failed');
      expect(Array.isArray(reply.body.errors)).toBe(true);
    });

    it('answers 400 naming an unknown field', async () => {
      const reply = await send(route, { ...route.valid(), roles: ['admin'] });
      expectClientError(reply, 400, 'validation_failed');
      expect(reply.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'roles' })]),
      );
    });

    it('refuses JSON nested 5,000 deep without failing', async () => {
      const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const reply = await sendRaw(route, `{"${route.field}": ${nested}}`);
      expectClientError(reply);
    });

    it.each([
      ['__proto__', '{"__proto__": {"polluted": true}}'],
      ['constructor.prototype', '{"constructor": {"prototype": {"polluted": true}}}'],
    ])('refuses a %s key and pollutes no prototype', async (_, pollution) => {
      const body = JSON.stringify(route.valid()).replace(/^\{/, `${pollution.slice(0, -1)},`);
      const reply = await sendRaw(route, body);
      expectClientError(reply, 400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses a body that is not valid UTF-8', async () => {
      const text = JSON.stringify({ ...route.valid(), [route.field]: 'MARK@example.com' });
      const [before, after] = text.split('MARK');
      const invalid = Buffer.from([0xc3, 0x28, 0xff]);
      const reply = await sendRaw(
        route,
        Buffer.concat([Buffer.from(before), invalid, Buffer.from(after)]),
      );
      expectClientError(reply, 400);
    });
  });

  describe('SQL-looking strings', () => {
    const SQL = [`' OR 1=1 --`, `'; SELECT pg_sleep(5); --`, `x'); DROP TABLE users; --`];

    async function countUsers(): Promise<number> {
      const [row] = await app.db.query('SELECT count(*)::int AS n FROM users');
      return row.n;
    }

    it.each(SQL)('refuses %s as an email at registration and stores nothing', async (sql) => {
      const before = await countUsers();
      const reply = await api.post('/v1/auth/register', { email: sql, password: GOOD_PASSWORD });
      expectClientError(reply, 400, 'validation_failed');
      expect(await countUsers()).toBe(before);
    });

    it.each(SQL)('answers 401 invalid_credentials to %s as email or password', async (sql) => {
      const account = await registerAndLogin(api);
      const tries = [
        { email: sql, password: GOOD_PASSWORD },
        { email: account.account.email, password: sql },
        { email: sql, password: sql },
      ];
      for (const body of tries) {
        expectClientError(await api.post('/v1/auth/login', body), 401, 'invalid_credentials');
      }
    });

    it.each(SQL)('stores %s as a display name verbatim, changing nothing else', async (sql) => {
      const other = await registerAndLogin(api);
      const before = await countUsers();
      const reply = await api.patch('/v1/me', { displayName: sql }, { token });
      expect(reply.status).toBe(200);
      expect(reply.body.displayName).toBe(sql);

      const [me] = await app.db.query('SELECT display_name FROM users WHERE id = $1', [
        reply.body.id,
      ]);
      expect(me.display_name).toBe(sql);
      const [them] = await app.db.query('SELECT display_name FROM users WHERE id = $1', [
        other.account.id,
      ]);
      expect(them.display_name).toBeNull();
      expect(await countUsers()).toBe(before);
    });

    it('registers an account with a SQL-looking name and password as plain data', async () => {
      const before = await countUsers();
      const password = `'; SELECT pg_sleep(5); -- ${GOOD_PASSWORD}`;
      const displayName = `Robert'); DROP TABLE users; --`;
      const email = uniqueEmail('bobby');
      const reply = await api.post('/v1/auth/register', { email, password, displayName });
      expect(reply.status).toBe(201);
      expect(reply.body.displayName).toBe(displayName);
      expect(await countUsers()).toBe(before + 1);

      const loggedIn = await api.post('/v1/auth/login', { email, password });
      expect(loggedIn.status).toBe(200);
    });
  });
});
