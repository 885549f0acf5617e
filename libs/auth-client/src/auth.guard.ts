import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest, IS_PUBLIC, REQUIRED_PERMISSIONS } from './decorators';
import { IssuerUnavailableError } from './issuer-unavailable';
import { PermissionChecker } from './permission-checker';
import { AuthProblem, HeaderTarget, refuse } from './problem';
import { RevokedTokens } from './revoked-tokens';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

/** `Bearer <token>`, the scheme case-insensitive (RFC 6750 §2.1); the token in b64token form. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Admits a request with a valid access token in the Authorization header (never the query
 * string): verified locally, and not of a session or user the revocation feed named. Attaches
 * the claims as `request.auth`. Routes with `@RequirePermissions` then need Tessera's yes.
 * Refuses with 401 and `WWW-Authenticate: Bearer`, 403, or 503 when Tessera can't be asked.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthClient');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly revoked: RevokedTokens,
    private readonly permissions: PermissionChecker,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse();

    const header = request.headers.authorization;
    if (typeof header !== 'string' || header === '') {
      throw refuse(response, AuthProblem.unauthenticated(false));
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) throw refuse(response, AuthProblem.unauthenticated(true));

    const claims = await this.guarded(response, () => this.verifier.verify(token));
    if (this.revoked.refuses(claims)) throw refuse(response, AuthProblem.unauthenticated(true));
    request.auth = claims;

    const required = this.reflector.getAllAndOverride<string[]>(REQUIRED_PERMISSIONS, targets);
    if (!required?.length) return true;
    const allowed = await this.guarded(response, () =>
      this.permissions.allows(token, claims, required),
    );
    if (!allowed) throw refuse(response, AuthProblem.forbidden());
    return true;
  }

  /** Runs a step, turning a refused token into 401 and an unreachable Tessera into 503. */
  private async guarded<T>(response: HeaderTarget, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw refuse(response, AuthProblem.unauthenticated(true));
      }
      if (error instanceof IssuerUnavailableError) {
        this.logger.warn(`the identity service could not be asked: ${error.message}`);
        throw refuse(response, AuthProblem.unavailable());
      }
      throw error;
    }
  }
}
