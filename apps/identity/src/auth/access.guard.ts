import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Problem } from '../common/problem';
import { REQUIRED_PERMISSIONS } from '../roles/require-permissions.decorator';
import { RolesService } from '../roles/roles.service';
import { SessionsService } from '../sessions/sessions.service';
import { AccessTokensService, bearerTokenOf } from '../tokens/access-tokens.service';
import type { AuthenticatedRequest } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { refusedAsUndefined } from '../keys/material/jwt-errors';

/**
 * The one global guard. Routes are closed unless marked `@Public()`: the caller needs an access
 * token in the Authorization header (never the query string) whose session is still alive and
 * whose user is enabled, and the roles in it must grant every `@RequirePermissions` entry.
 * Throws a 401 with `WWW-Authenticate: Bearer`, or a 403 `forbidden`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokensService,
    private readonly sessions: SessionsService,
    private readonly roles: RolesService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) throw Problem.unauthenticated();

    const token = bearerTokenOf(header);
    if (!token) throw Problem.unauthenticated('invalid_token');

    const claims = await this.tokens.verifyForRequest(request, token).catch(refusedAsUndefined);
    if (!claims?.sid) throw Problem.unauthenticated('invalid_token');

    // A token outlives its session by up to its lifetime; the session decides.
    if (!(await this.sessions.isActive(claims.sid, claims.sub))) {
      throw Problem.unauthenticated('invalid_token');
    }
    request.principal = { userId: claims.sub, sessionId: claims.sid, roles: claims.roles, claims };

    const required = this.reflector.getAllAndOverride<string[]>(REQUIRED_PERMISSIONS, targets);
    if (required?.length && !(await this.roles.allows(claims.roles, required))) {
      throw Problem.forbidden();
    }
    return true;
  }
}
