import { routeLimitOf } from '../rate-limits/route-limits';
import type { ErrorStatus } from './problem-schemas';

/** What decides an operation's errors. */
export interface OperationShape {
  method: string;
  /** The OpenAPI path, `/v1/admin/users/{id}`. */
  path: string;
  isPublic: boolean;
  hasQuery: boolean;
}

const PROBLEM_TEXT: Record<ErrorStatus, string> = {
  400: 'The body, a parameter or the JSON itself is invalid (`validation_failed`, `malformed_json`, `bad_request`).',
  401: 'No valid access token (`unauthenticated`).',
  403: 'The caller may not do this (`forbidden`), or its address is blocked (`ip_blocked`).',
  404: 'There is no such resource (`not_found`).',
  409: 'The request conflicts with the current state.',
  413: 'The body is over 64 KiB (`payload_too_large`).',
  415: 'The body is not `application/json` (`unsupported_media_type`).',
  429: 'Too many requests (`rate_limited`).',
  503: 'A dependency is down (`unavailable`); nothing was changed or issued.',
};

const OAUTH_TEXT: Record<ErrorStatus, string> = {
  ...PROBLEM_TEXT,
  400: 'A parameter is missing, repeated or wrong (`invalid_request`, `invalid_grant`, `unsupported_grant_type`).',
  401: 'Client authentication failed (`invalid_client`).',
  413: 'The body is over 64 KiB (`invalid_request`).',
  415: 'The body is neither a form nor JSON (`invalid_request`).',
  429: 'Too many requests (`invalid_request`).',
  503: 'A dependency is down (`temporarily_unavailable`); no token was issued.',
};

// Methods whose requests Fastify reads a body for, so that any of them can meet the body errors.
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

// What particular routes answer besides the rules below; the services that throw them say so.
const PARTICULAR: Record<string, Partial<Record<ErrorStatus, string>>> = {
  'post /v1/auth/register': {
    403: 'Registration is closed (`registration_closed`).',
    409: 'An account has this email (`email_taken`).',
  },
  'post /v1/auth/login': { 401: 'The email or password is wrong (`invalid_credentials`).' },
  'post /v1/auth/mfa': { 401: 'The code or the MFA token is wrong (`invalid_code`).' },
  'post /v1/me/password': { 409: 'The password changed meanwhile (`password_changed`).' },
  'post /v1/me/mfa/totp': { 409: 'MFA is on already (`mfa_already_enabled`).' },
  'post /v1/me/mfa/totp/verify': { 409: 'No enrollment is pending (`mfa_not_pending`).' },
  'delete /v1/me/mfa/totp': { 404: 'MFA is not on (`mfa_not_enabled`).' },
  'post /v1/me/mfa/recovery-codes': { 404: 'MFA is not on (`mfa_not_enabled`).' },
  'post /v1/admin/users': { 409: 'An account has this email (`email_taken`).' },
  'patch /v1/admin/users/{id}': { 409: 'It would disable the last admin (`last_admin`).' },
  'put /v1/admin/users/{id}/roles': { 409: 'It would demote the last admin (`last_admin`).' },
  'delete /v1/admin/users/{id}': { 409: 'It is the last admin (`last_admin`).' },
  'post /v1/admin/roles': { 409: 'A role has this name (`role_exists`).' },
  'patch /v1/admin/roles/{name}': { 409: 'Built-in roles keep their rules (`role_protected`).' },
  'delete /v1/admin/roles/{name}': {
    409: 'A built-in role (`role_protected`), or one still held (`role_in_use`; `?force=true` deletes it).',
  },
  'post /v1/admin/ip-blocks': { 409: 'The range holds the caller (`would_block_self`).' },
  'get /metrics': { 404: 'METRICS_PORT serves the metrics on another port.' },
};

// Answered from memory, so a database outage does not reach them.
const NEVER_UNAVAILABLE = new Set(['get /health/live', 'get /metrics']);

/** `/v1/me/sessions/{id}` as Fastify names the route: `/v1/me/sessions/:id`. */
export function fastifyPathOf(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * The error statuses an operation can answer, each with its description: the body errors
 * wherever a body is read, the bearer errors off the public routes (client authentication in
 * their place under /oauth), 404 under a path parameter, 429 wherever a rate limit applies,
 * 503 wherever the database is asked, and what {@link PARTICULAR} adds.
 */
export function errorStatusesOf(op: OperationShape): Map<ErrorStatus, string> {
  const oauth = op.path.startsWith('/oauth/');
  const text = oauth ? OAUTH_TEXT : PROBLEM_TEXT;
  const applies = new Set<ErrorStatus>();
  const takesBody = BODY_METHODS.has(op.method);
  if (takesBody || op.hasQuery) applies.add(400);
  if (!op.isPublic || oauth) applies.add(401);
  if (!op.isPublic) applies.add(403);
  if (op.path.includes('{')) applies.add(404);
  if (takesBody) applies.add(413).add(415);
  if (routeLimitOf({ routeOptions: { url: fastifyPathOf(op.path) } })) applies.add(429);
  const key = `${op.method} ${op.path}`;
  if (!NEVER_UNAVAILABLE.has(key)) applies.add(503);

  const particular = PARTICULAR[key] ?? {};
  const statuses = new Map<ErrorStatus, string>();
  for (const status of Object.keys(text).map(Number) as ErrorStatus[]) {
    const own = particular[status];
    if (own && (status === 409 || !applies.has(status))) statuses.set(status, own);
    else if (own) statuses.set(status, `${text[status]} ${own}`);
    else if (applies.has(status)) statuses.set(status, text[status]);
  }
  return statuses;
}
