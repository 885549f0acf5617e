import { HttpException } from '@nestjs/common';

/**
 * A refusal as RFC 9457 problem details, the shape Tessera answers with:
 * `{type, title, status, detail, code}`, `code` being the stable machine-readable name.
 */
export class AuthProblem extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super({ type: `urn:tessera:problem:${code}`, title, status, detail, code }, status);
  }

  /** 401 (RFC 6750): `invalid_token` when a token was sent and refused, no error when none was. */
  static unauthenticated(tokenSent: boolean): AuthProblem {
    const challenge = tokenSent ? 'Bearer error="invalid_token"' : 'Bearer';
    return new AuthProblem(
      401,
      'unauthenticated',
      'Authentication required',
      'Send a valid access token in the Authorization header.',
      { 'www-authenticate': challenge },
    );
  }

  static forbidden(): AuthProblem {
    return new AuthProblem(403, 'forbidden', 'Forbidden', 'You do not have permission to do this.');
  }

  /** 503: Tessera could not be asked, so nothing is allowed (fail closed). */
  static unavailable(): AuthProblem {
    return new AuthProblem(
      503,
      'unavailable',
      'Service unavailable',
      'The identity service cannot be reached; try again shortly.',
      { 'retry-after': '5' },
    );
  }
}

/** Anything with `header(name, value)`: a Fastify reply or an Express response. */
export interface HeaderTarget {
  header(name: string, value: string): unknown;
}

/**
 * Puts the problem's headers and media type on the response and returns the exception to throw:
 * Nest's exception filter then sends the body and status, whatever the HTTP adapter.
 */
export function refuse(response: HeaderTarget, problem: AuthProblem): AuthProblem {
  response.header('content-type', 'application/problem+json; charset=utf-8');
  for (const [name, value] of Object.entries(problem.headers)) response.header(name, value);
  return problem;
}
