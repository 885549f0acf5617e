/** One field that failed validation. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error the client may see, as RFC 9457 problem details. `code` is the stable
 * machine-readable name; `detail` is a short sentence telling the user what to do.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extras: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(title);
    this.name = 'Problem';
  }

  static validation(errors: FieldError[], detail = 'Some fields are missing or invalid.') {
    return new Problem(400, 'validation_failed', 'Validation failed', detail, { errors });
  }

  static badRequest(detail: string) {
    return new Problem(400, 'bad_request', 'Bad request', detail);
  }

  /** A 401 on a bearer route; `tokenError` is set when a token was presented and refused. */
  static unauthenticated(tokenError?: 'invalid_token') {
    const challenge = tokenError
      ? `Bearer realm="tessera", error="${tokenError}"`
      : 'Bearer realm="tessera"';
    return new Problem(
      401,
      'unauthenticated',
      'Authentication required',
      'Send a valid access token in the Authorization header.',
      { headers: { 'www-authenticate': challenge } },
    );
  }

  static invalidCredentials() {
    return new Problem(
      401,
      'invalid_credentials',
      'Invalid credentials',
      'The email or password is wrong.',
    );
  }

  static forbidden(detail = 'You do not have permission to do this.') {
    return new Problem(403, 'forbidden', 'Forbidden', detail);
  }

  static notFound(detail = 'There is nothing here.') {
    return new Problem(404, 'not_found', 'Not found', detail);
  }

  static conflict(code: string, detail: string) {
    return new Problem(409, code, 'Conflict', detail);
  }

  static unavailable(detail = 'A dependency is unavailable; try again shortly.') {
    return new Problem(503, 'unavailable', 'Service unavailable', detail, {
      headers: { 'retry-after': '5' },
    });
  }
}

/** An OAuth 2.0 error (RFC 6749 §5.2), used on the /oauth/* routes. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(error);
    this.name = 'OAuthError';
  }

  static invalidRequest(description: string) {
    return new OAuthError(400, 'invalid_request', description);
  }

  static invalidGrant(description = 'The refresh token is invalid, expired or revoked.') {
    return new OAuthError(400, 'invalid_grant', description);
  }

  static unsupportedGrantType() {
    return new OAuthError(400, 'unsupported_grant_type', 'This grant type is not supported.');
  }
}
