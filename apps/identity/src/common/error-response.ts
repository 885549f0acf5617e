import { HttpException } from '@nestjs/common';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { FieldError, OAuthError, Problem } from './problem';

export interface ErrorResponse {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** True when the error was not anticipated and must be logged with its stack. */
  unexpected: boolean;
}

/** Fastify's own errors (body parsing, limits) that reach us before any route runs. */
const FASTIFY_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is larger than 64 KiB.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'unsupported_media_type',
    'Send application/json (or a form on /oauth routes).',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'The Content-Length is wrong.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json', 'The JSON body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'The body is not valid JSON.'],
};

/** Nest rethrows Fastify's errors as HttpExceptions that keep only the status and message. */
function fastifyCodeOf(exception: HttpException): string | undefined {
  const status = exception.getStatus();
  if (status === 413) return 'FST_ERR_CTP_BODY_TOO_LARGE';
  if (status === 415) return 'FST_ERR_CTP_INVALID_MEDIA_TYPE';
  if (status === 400 && /\bjson\b/i.test(exception.message)) return 'FST_ERR_CTP_INVALID_JSON_BODY';
  return undefined;
}

/**
 * SQLSTATE classes that say the database is unreachable, overloaded or slow rather than that the
 * query is wrong: 08 connection exception, 53 insufficient resources, 57 operator intervention
 * (shutdowns, statement timeouts).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)[0-9A-Z]{3}$/;
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);
/** node-postgres's own errors for a lost or never-made connection carry no code. */
const POOL_ERRORS = /^(Connection terminated|timeout exceeded when trying to connect)/;

/** True when the database could not be reached or did not answer in time: worth a retry. */
function databaseUnavailable(error: unknown): boolean {
  // TypeORM wraps every failed query; a bare DatabaseError comes from opening a connection.
  if (error instanceof DatabaseError) return true;
  const cause: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (!(cause instanceof Error)) return false;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') return UNAVAILABLE_SQLSTATE.test(code) || SOCKET_ERRORS.has(code);
  return POOL_ERRORS.test(cause.message);
}

function asProblem(error: unknown): { problem: Problem; unexpected: boolean } {
  if (error instanceof Problem) return { problem: error, unexpected: false };
  if (databaseUnavailable(error)) return { problem: Problem.unavailable(), unexpected: false };

  const code =
    error instanceof HttpException ? fastifyCodeOf(error) : (error as { code?: unknown })?.code;
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (known)
    return {
      problem: new Problem(known[0], known[1], titleOf(known[0]), known[2]),
      unexpected: false,
    };

  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) {
    return {
      problem: new Problem(400, 'malformed_json', 'Bad request', 'The body is not valid JSON.'),
      unexpected: false,
    };
  }
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      problem: new Problem(
        statusCode,
        'bad_request',
        titleOf(statusCode),
        'The request could not be read.',
      ),
      unexpected: false,
    };
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    const status = error.getStatus();
    const code =
      status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : 'bad_request';
    return { problem: new Problem(status, code, titleOf(status), undefined), unexpected: false };
  }
  return {
    problem: new Problem(500, 'internal_error', 'Internal Server Error'),
    unexpected: true,
  };
}

function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not found',
    405: 'Method not allowed',
    413: 'Payload too large',
    415: 'Unsupported media type',
    429: 'Too many requests',
  };
  return titles[status] ?? 'Error';
}

const OAUTH_ERROR_FOR_STATUS: Record<number, string> = {
  401: 'invalid_client',
  404: 'invalid_request',
  429: 'slow_down',
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
