import { routeLimitOf } from './route-limits';

const on = (url?: string) => routeLimitOf({ routeOptions: { url } });

describe('routeLimitOf', () => {
  it.each(['/v1/auth/register', '/v1/auth/login', '/v1/auth/mfa', '/oauth/token'])(
    'puts %s under the per-IP login limit',
    (route) => expect(on(route)).toBe('login_ip'),
  );

  it.each(['/v1/me', '/v1/me/sessions/:id', '/oauth/revoke', '/docsx', '/v1/auth/login/extra'])(
    'puts %s under the per-caller API limit',
    (route) => expect(on(route)).toBe('api'),
  );

  it.each([
    '/health/live',
    '/health/ready',
    '/.well-known/jwks.json',
    '/metrics',
    '/docs',
    '/docs-json',
    '/docs/*',
  ])('never limits %s', (route) => expect(on(route)).toBeUndefined());

  it('limits a request whose route is unknown as an API call', () => {
    expect(on(undefined)).toBe('api');
    expect(routeLimitOf({})).toBe('api');
  });
});
