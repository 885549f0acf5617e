import { request as httpRequest } from 'node:http';
import { appForSuite } from './support/suite-app';

/** A raw request, for methods that fetch refuses to send (TRACE). */
function rawRequest(url: string, method: string, path: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = httpRequest(`${url}${path}`, { method }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const ALLOWED = 'https://app.example.com';

describe('security headers', () => {
  const { app, api } = appForSuite({ TRUST_PROXY: '127.0.0.1' });

  it.each([
    ['a success', 'GET', '/health/live', undefined],
    ['a 401', 'GET', '/v1/me', undefined],
    ['a 404', 'GET', '/no/such/route', undefined],
    ['a 400 for malformed JSON', 'POST', '/v1/auth/login', '{"email":'],
    ['a 415 for a form outside /oauth', 'POST', '/v1/auth/login', 'email=a'],
  ])('are on %s', async (_, method, path, raw) => {
    const contentType = raw?.startsWith('{')
      ? 'application/json'
      : 'application/x-www-form-urlencoded';
    const reply = await api.request(method, path, undefined, {
      raw,
      headers: raw ? { 'content-type': contentType } : {},
    });

    expect(reply.status).toBeGreaterThanOrEqual(200);
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
    expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    expect(reply.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(reply.headers.get('x-powered-by')).toBeNull();
    expect(reply.headers.get('strict-transport-security')).toBeNull();
  });

  it('add HSTS when a trusted proxy says the request came over HTTPS', async () => {
    const reply = await api.get('/health/live', { headers: { 'x-forwarded-proto': 'https' } });

    expect(reply.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it.each(['TRACE', 'PROPFIND', 'PURGE'])('refuse %s with 405 problem details', async (method) => {
    for (const path of ['/', '/v1/me', '/health/live']) {
      const reply = await rawRequest(app.url, method, path);

      expect(reply.status).toBe(405);
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(reply.body).code).toBe('method_not_allowed');
      expect(reply.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('leave methods that Node cannot parse to its own 400', async () => {
    const reply = await rawRequest(app.url, 'TRACK', '/');

    expect(reply.status).toBe(400);
  });
});

describe('CORS with an allow-list', () => {
  const { api } = appForSuite({ CORS_ORIGINS: `${ALLOWED},https://admin.example.com` });

  it('echoes an allowed origin exactly, with Vary: Origin and no credentials', async () => {
    const reply = await api.get('/.well-known/jwks.json', { headers: { origin: ALLOWED } });

    expect(reply.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(reply.headers.get('vary')).toMatch(/\bOrigin\b/i);
    expect(reply.headers.get('access-control-allow-credentials')).toBeNull();
    expect(reply.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it.each(['https://evil.example.com', 'null', `${ALLOWED}.evil.com`, 'http://app.example.com'])(
    'never reflects the origin %s',
    async (origin) => {
      const reply = await api.get('/.well-known/jwks.json', { headers: { origin } });

      expect(reply.status).toBe(200);
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('answers a preflight from an allowed origin with the methods and headers it may send', async () => {
    const reply = await api.request('OPTIONS', '/v1/me', undefined, {
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(reply.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(reply.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('gives a preflight from another origin no permission', async () => {
    const reply = await api.request('OPTIONS', '/v1/me', undefined, {
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' },
    });

    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS left unset', () => {
  const { api } = appForSuite();

  it('sends no CORS headers to any origin', async () => {
    const reply = await api.get('/.well-known/jwks.json', { headers: { origin: ALLOWED } });

    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
  });
});
