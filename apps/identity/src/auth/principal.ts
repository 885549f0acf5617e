import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AccessClaims } from '../tokens/access-tokens.service';

/** The caller behind a verified access token. */
export interface Principal {
  userId: string;
  sessionId: string;
  roles: string[];
  claims: AccessClaims;
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** Injects the {@link Principal} that the global guard attached to the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a public route');
    return principal;
  },
);
