import { HttpException } from '@nestjs/common';
import { Problem } from './problem';

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

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
};

export function titleOf(status: number): string {
  return TITLES[status] ?? 'Error';
}

/** The problem for an error Fastify or Nest raised before or around a route, if it is one. */
export function frameworkProblemOf(error: unknown): Problem | undefined {
  const code =
    error instanceof HttpException ? fastifyCodeOf(error) : (error as { code?: unknown })?.code;
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (known) return new Problem(known[0], known[1], titleOf(known[0]), known[2]);

  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) {
    return new Problem(400, 'malformed_json', 'Bad request', 'The body is not valid JSON.');
  }
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new Problem(
      statusCode,
      'bad_request',
      titleOf(statusCode),
      'The request could not be read.',
    );
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    const status = error.getStatus();
    const code =
      status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : 'bad_request';
    return new Problem(status, code, titleOf(status));
  }
  return undefined;
}
