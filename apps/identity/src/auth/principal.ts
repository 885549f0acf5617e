import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Problem } from '../common/problem';
import type { AccessClaims } from '../tokens/access-tokens.service';

/** A person, behind a login session's access token. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  sessionId: string;
  /** The roles in the token; behind @RequirePermissions, the roles the user holds now. */
  roles: string[];
  claims: AccessClaims;
}

/** A service, behind a client-credentials access token (`sub` and `client_id` are its id). */
export interface ClientPrincipal {
  kind: 'client';
  clientId: string;
  roles: string[];
  claims: AccessClaims;
}

/** The caller behind a verified access token. */
export type Principal = UserPrincipal | ClientPrincipal;

/** The id audit records name as the actor: the user's id, or the client's. */
export function actorIdOf(principal: Principal): string {
  return principal.kind === 'user' ? principal.userId : principal.clientId;
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('a principal decorator is used on a public route');
  return principal;
}

/** Injects the {@link Principal} that the global guard attached to the request, user or client. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => principalOf(context),
);

/** Injects the calling user; a service client's token gets 403 on such a route. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): UserPrincipal => {
    const principal = principalOf(context);
    if (principal.kind !== 'user') {
      throw Problem.forbidden(
        'This route acts for a signed-in user; a service token cannot use it.',
      );
    }
    return principal;
  },
);
