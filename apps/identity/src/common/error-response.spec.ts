import { HttpException, NotFoundException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { toErrorResponse } from './error-response';
import { OAuthError, Problem } from './problem';

const REQUEST_ID = 'req-7f3a';

/** An error whose message and stack hold what must never reach a client. */
function leakyError(): Error {
  const error = new Error(`insert into users failed: password_hash=$2b$12$abc at /app/src/x.ts:3`);
  error.stack = `Error: boom\n    at UsersService.create (/app/src/users/users.service.ts:42:7)`;
  return error;
}

function sqlError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

/** How Nest hands Fastify's body errors to exception filters: status and message only. */
function asNestRethrowsIt(error: Error & { statusCode?: number }): HttpException {
  return new HttpException(error.message, error.statusCode ?? 500);
}

describe('toErrorResponse', () => {
  describe('an unexpected error', () => {
    it('becomes a 500 problem holding only type, title, status, code and the request id', () => {
      const response = toErrorResponse(leakyError(), '/v1/me', REQUEST_ID);
      expect(response.status).toBe(500);
      expect(response.unexpected).toBe(true);
      expect(response.contentType).toBe('application/problem+json');
      expect(Object.keys(response.body).sort()).toEqual(
        ['code', 'requestId', 'status', 'title', 'type'].sort(),
      );
      expect(response.body).toMatchObject({ status: 500, requestId: REQUEST_ID });
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/insert|password_hash|\$2b\$|users\.service|\bat /);
    });

    it('becomes an RFC 6749 server_error on /oauth paths, naming only the request id', () => {
      const response = toErrorResponse(leakyError(), '/oauth/token', REQUEST_ID);
      expect(response.status).toBe(500);
      expect(response.contentType).toBe('application/json');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        error: 'server_error',
        error_description: expect.stringContaining(REQUEST_ID),
      });
      expect(JSON.stringify(response.body)).not.toMatch(/insert|password_hash|\bat /);
    });

    it('treats a failed query that is not an outage as unexpected, without SQL in the body', () => {
      const query = new QueryFailedError(
        'INSERT INTO users (email) VALUES ($1)',
        ['a@b.c'],
        sqlError('23505', 'duplicate key'),
      );
      const response = toErrorResponse(query, '/v1/auth/register', REQUEST_ID);
      expect(response.status).toBe(500);
      expect(response.unexpected).toBe(true);
      expect(JSON.stringify(response.body)).not.toMatch(/INSERT|duplicate|a@b\.c/);
    });
  });

  describe('problems', () => {
    it('keep their status, code, detail and headers as RFC 9457 problem details', () => {
      const response = toErrorResponse(
        Problem.unauthenticated('invalid_token'),
        '/v1/me',
        REQUEST_ID,
      );
      expect(response.status).toBe(401);
      expect(response.unexpected).toBe(false);
      expect(response.contentType).toBe('application/problem+json');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      expect(response.body).toEqual({
        type: 'urn:tessera:problem:unauthenticated',
        title: expect.any(String),
        status: 401,
        code: 'unauthenticated',
        detail: expect.any(String),
      });
    });

    it('list the fields of a validation failure', () => {
      const errors = [{ field: 'email', message: 'email must be a string' }];
      const response = toErrorResponse(Problem.validation(errors), '/v1/auth/login', REQUEST_ID);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', errors });
    });

    it('become RFC 6749 errors on /oauth paths', () => {
      const invalid = toErrorResponse(
        Problem.validation([{ field: 'grant_type', message: 'grant_type is required' }]),
        '/oauth/token',
        REQUEST_ID,
      );
      expect(invalid.status).toBe(400);
      expect(invalid.body).toEqual({
        error: 'invalid_request',
        error_description: 'grant_type is required',
      });

      const unauthorized = toErrorResponse(
        Problem.unauthenticated(),
        '/oauth/introspect',
        REQUEST_ID,
      );
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.body).toEqual({
        error: 'invalid_client',
        error_description: expect.any(String),
      });
    });

    it('pass OAuth errors through as RFC 6749 bodies that are never stored', () => {
      const response = toErrorResponse(OAuthError.invalidGrant(), '/oauth/token', REQUEST_ID);
      expect(response.status).toBe(400);
      expect(response.contentType).toBe('application/json');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        error: 'invalid_grant',
        error_description: expect.any(String),
      });
    });

    it('turn a 404 from the router into a not_found problem', () => {
      const response = toErrorResponse(
        new NotFoundException('Cannot GET /nope'),
        '/nope',
        REQUEST_ID,
      );
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'not_found' });
      expect(JSON.stringify(response.body)).not.toContain('Cannot GET');
    });
  });

  describe("Fastify's body errors, as thrown and as Nest rethrows them", () => {
    it.each([
      ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'payload_too_large'],
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'unsupported_media_type'],
      ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'malformed_json'],
      ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'malformed_json'],
    ] as const)('map %s to %i %s', (name, status, code) => {
      const fastifyError = new errorCodes[name]();
      for (const error of [fastifyError, asNestRethrowsIt(fastifyError)]) {
        const response = toErrorResponse(error, '/v1/auth/login', REQUEST_ID);
        expect(response.status).toBe(status);
        expect(response.unexpected).toBe(false);
        expect(response.body).toMatchObject({ status, code });
      }
    });
  });

  describe('an unreachable or slow database', () => {
    it.each([
      [
        'a refused connection',
        () => sqlError('55000', 'database "x" is not currently accepting connections'),
      ],
      [
        'a server shutting down',
        () => sqlError('57P01', 'terminating connection due to administrator command'),
      ],
      [
        'a statement timeout',
        () => new QueryFailedError('SELECT 1', [], sqlError('57014', 'canceling statement')),
      ],
      [
        'a lost connection',
        () => new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
      ],
      [
        'a closed port',
        () =>
          Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
      ],
      [
        // Made in another realm (Node's own, seen from a VM context): not an instance of our Error.
        'a socket error from another realm',
        () => ({ message: 'connect ECONNREFUSED 10.0.0.5:5432', code: 'ECONNREFUSED' }),
      ],
    ])('answers %s with 503 unavailable and Retry-After, saying nothing of it', (_, error) => {
      const response = toErrorResponse(error(), '/v1/me', REQUEST_ID);
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.body).toMatchObject({ code: 'unavailable', requestId: REQUEST_ID });
      expect(JSON.stringify(response.body)).not.toMatch(
        /SELECT|connection|ECONNREFUSED|10\.0\.0\.5/i,
      );
    });

    it('answers temporarily_unavailable with Retry-After on /oauth paths', () => {
      const response = toErrorResponse(
        sqlError('57P03', 'the database system is starting up'),
        '/oauth/token',
        REQUEST_ID,
      );
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: expect.any(String),
      });
    });
  });
});
