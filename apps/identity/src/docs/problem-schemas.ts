import type { HeaderObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { SCHEMA_REF_PREFIX } from './dto-schemas';

/** The error statuses an operation may list. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

/** The two error bodies of the contract: RFC 9457 everywhere, RFC 6749 §5.2 under /oauth. */
export const ERROR_SCHEMAS: Record<string, SchemaObject> = {
  ProblemDetails: {
    type: 'object',
    description: 'RFC 9457 problem details, sent as application/problem+json.',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string', example: 'urn:tessera:problem:validation_failed' },
      title: { type: 'string', example: 'Validation failed' },
      status: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
      detail: { type: 'string', description: 'What the caller can do about it.' },
      code: {
        type: 'string',
        description: 'Stable and machine-readable, e.g. `validation_failed`, `forbidden`.',
        example: 'validation_failed',
      },
      errors: {
        type: 'array',
        description: 'Validation errors, one per field and rule.',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
      requestId: { type: 'string', description: 'On 5xx only; the logs carry the same id.' },
    },
  },
  OAuthError: {
    type: 'object',
    description: 'An OAuth 2.0 error (RFC 6749 §5.2), sent as application/json.',
    required: ['error'],
    properties: {
      error: {
        type: 'string',
        example: 'invalid_request',
        enum: [
          'invalid_request',
          'invalid_client',
          'invalid_grant',
          'unsupported_grant_type',
          'temporarily_unavailable',
          'server_error',
        ],
      },
      error_description: { type: 'string' },
    },
  },
};

const RETRY_AFTER: HeaderObject = {
  description: 'Seconds to wait before trying again.',
  schema: { type: 'integer' },
};

const BEARER_CHALLENGE: HeaderObject = {
  description: 'The RFC 6750 challenge, `Bearer realm="tessera"` (with `error` for a bad token).',
  schema: { type: 'string' },
};

/**
 * The response an operation lists for `status`: `description` says what it means there; a 401 of
 * a bearer route names its `WWW-Authenticate` challenge, a 429 or 503 its `Retry-After`.
 */
export function errorResponse(
  status: ErrorStatus,
  oauth: boolean,
  description: string,
  bearer: boolean,
): ResponseObject {
  const schema = { $ref: `${SCHEMA_REF_PREFIX}${oauth ? 'OAuthError' : 'ProblemDetails'}` };
  const headers: Record<string, HeaderObject> = {};
  if (status === 429 || status === 503) headers['Retry-After'] = RETRY_AFTER;
  if (status === 401 && bearer) headers['WWW-Authenticate'] = BEARER_CHALLENGE;
  return {
    description,
    ...(Object.keys(headers).length ? { headers } : {}),
    content: { [oauth ? 'application/json' : 'application/problem+json']: { schema } },
  };
}
