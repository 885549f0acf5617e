import { databaseRefusedValue, databaseUnavailable } from './database-errors';
import { frameworkProblemOf } from './framework-errors';
import { FieldError, OAuthError, Problem } from './problem';

export interface ErrorResponse {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** True when the error was not anticipated and must be logged with its stack. */
  unexpected: boolean;
}

function asProblem(error: unknown): { problem: Problem; unexpected: boolean } {
  if (error instanceof Problem) return { problem: error, unexpected: false };
  if (databaseUnavailable(error)) return { problem: Problem.unavailable(), unexpected: false };
  if (databaseRefusedValue(error)) {
    return {
      problem: Problem.badRequest('A value in the request cannot be stored.'),
      unexpected: false,
    };
  }

  const framework = frameworkProblemOf(error);
  if (framework) return { problem: framework, unexpected: false };

  return { problem: new Problem(500, 'internal_error', 'Internal Server Error'), unexpected: true };
}

const OAUTH_ERROR_FOR_STATUS: Record<number, string> = {
  401: 'invalid_client',
  404: 'invalid_request',
  // RFC 6749 has no rate-limit error; invalid_request with the 429 status says enough.
  429: 'invalid_request',
  503: 'temporarily_unavailable',
};

/**
 * Turns any error into the contract's shape: RFC 6749 §5.2 on /oauth routes, RFC 9457 problem
 * details elsewhere. Nothing internal (stack, SQL, message of an unexpected error) reaches the body.
 */
export function toErrorResponse(error: unknown, path: string, requestId: string): ErrorResponse {
  const oauthRoute = path.startsWith('/oauth/');
  if (error instanceof OAuthError) {
    return {
      status: error.status,
      contentType: 'application/json',
      headers: { 'cache-control': 'no-store', ...error.headers },
      body: { error: error.error, error_description: error.description },
      unexpected: false,
    };
  }

  const { problem, unexpected } = asProblem(error);
  if (oauthRoute) {
    const status = problem.status;
    const oauthError =
      status >= 500 && status !== 503
        ? 'server_error'
        : (OAUTH_ERROR_FOR_STATUS[status] ?? 'invalid_request');
    const description =
      problem.status >= 500
        ? `Request ${requestId} failed.`
        : (problem.extras.errors?.[0]?.message ?? problem.detail ?? problem.title);
    return {
      status,
      contentType: 'application/json',
      headers: { 'cache-control': 'no-store', ...(problem.extras.headers ?? {}) },
      body: { error: oauthError, error_description: description },
      unexpected,
    };
  }

  const body: Record<string, unknown> = {
    type: `urn:tessera:problem:${problem.code}`,
    title: problem.title,
    status: problem.status,
    code: problem.code,
  };
  if (problem.detail) body.detail = problem.detail;
  if (problem.extras.errors) body.errors = problem.extras.errors satisfies FieldError[];
  if (problem.status >= 500) body.requestId = requestId;
  return {
    status: problem.status,
    contentType: 'application/problem+json',
    headers: problem.extras.headers ?? {},
    body,
    unexpected,
  };
}
