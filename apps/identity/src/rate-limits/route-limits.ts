/** The limits of the contract, by the name audit events and counters give them. */
export type LimitName = 'login_ip' | 'login_account' | 'api';

/** The limit a route answers to; the account limit is counted by the login steps, not by routes. */
export type RouteLimit = Exclude<LimitName, 'login_account'>;

const LOGIN_ROUTES = new Set([
  '/v1/auth/register',
  '/v1/auth/login',
  '/v1/auth/mfa',
  '/oauth/token',
]);

// Probes, key discovery, scrapes and the API docs must keep working for every caller whatever the
// load.
const UNLIMITED_ROUTES = [
  /^\/health\//,
  /^\/\.well-known\//,
  /^\/metrics$/,
  /^\/docs(-json)?(\/|$)/,
];

/**
 * Which limit a request's route has, by the route's pattern (Fastify's `routeOptions.url`, so
 * `/v1/me/sessions/:id`): `login_ip`, `api` (also for a route this list does not know), or
 * undefined for the routes that are never limited.
 */
export function routeLimitOf(request: { routeOptions?: { url?: string } }): RouteLimit | undefined {
  const route = request.routeOptions?.url ?? '';
  if (LOGIN_ROUTES.has(route)) return 'login_ip';
  if (UNLIMITED_ROUTES.some((pattern) => pattern.test(route))) return undefined;
  return 'api';
}
