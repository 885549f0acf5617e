import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditService } from '../audit/audit.service';
import { LiveClientCache } from '../clients/live-client-cache';
import { Problem } from '../common/problem';
import { requestContextOf } from '../common/request-context';
import { refusedAsUndefined } from '../keys/material/jwt-errors';
import { REQUIRED_PERMISSIONS } from '../roles/require-permissions.decorator';
import { RolesService } from '../roles/roles.service';
import { SessionsService } from '../sessions/sessions.service';
import {
  AccessClaims,
  AccessTokensService,
  bearerTokenOf,
  LOGIN_CLIENT_ID,
} from '../tokens/access-tokens.service';
import { actorIdOf, AuthenticatedRequest, Principal } from './principal';
import { IS_PUBLIC } from './public.decorator';

/**
 * The one global guard. Routes are closed unless marked `@Public()`: the caller needs an access
 * token in the Authorization header (never the query string). A user's token counts while its
 * session is alive and the user enabled; a service's token while its client exists, as the
 * LiveClientCache knows it. Routes with `@RequirePermissions` are judged on the caller's roles as
 * they are now, not as the token remembers them, so a demotion takes effect at once; a refusal
 * there is audited. Throws a 401 with `WWW-Authenticate: Bearer`, or a 403 `forbidden`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokensService,
    private readonly sessions: SessionsService,
    private readonly clients: LiveClientCache,
    private readonly roles: RolesService,
    private readonly audit: AuditService,
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
    const principal = claims && (await this.principalOf(claims));
    if (!principal) throw Problem.unauthenticated('invalid_token');
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<string[]>(REQUIRED_PERMISSIONS, targets);
    if (!required?.length) return true;
    // Handlers behind a permission see the roles held now, e.g. for "grant only what you hold".
    principal.roles = await this.currentRoles(principal);
    if (!(await this.roles.allows(principal.roles, required))) {
      await this.audit.record(
        {
          type: 'authz.denied',
          outcome: 'failure',
          actorId: actorIdOf(principal),
          details: { method: request.method, route: request.routeOptions.url ?? null, required },
        },
        requestContextOf(request),
      );
      throw Problem.forbidden();
    }
    return true;
  }

  /** Who the token speaks for, if they still may: a live session's user, or an existing client. */
  private async principalOf(claims: AccessClaims): Promise<Principal | undefined> {
    if (claims.sid) {
      // A token outlives its session by up to its lifetime; the session decides.
      if (!(await this.sessions.isActive(claims.sid, claims.sub))) return undefined;
      return {
        kind: 'user',
        userId: claims.sub,
        sessionId: claims.sid,
        roles: claims.roles,
        claims,
      };
    }
    if (claims.client_id === LOGIN_CLIENT_ID || claims.sub !== claims.client_id) return undefined;
    const client = await this.clients.liveClient(claims.client_id);
    if (!client) return undefined;
    return { kind: 'client', clientId: client.clientId, roles: client.roles, claims };
  }

  /** The roles the caller holds now; a user's roles that need a second factor count only after one. */
  private async currentRoles(principal: Principal): Promise<string[]> {
    if (principal.kind === 'client') return principal.roles;
    const held = await this.roles.rolesOf(principal.userId);
    return this.roles.effectiveRoles(held, principal.claims.amr ?? []).granted;
  }
}
