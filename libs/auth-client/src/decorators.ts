import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AccessTokenClaims } from './auth-client.options';

export const REQUIRED_PERMISSIONS = 'auth-client:permissions';
export const IS_PUBLIC = 'auth-client:public';

/** A request that passed {@link AuthGuard}: `auth` holds the verified claims of its token. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  auth?: AccessTokenClaims;
}

/**
 * The `resource:action` permissions a route (or every route of a controller) needs; the guard
 * asks Tessera about all of them in one call, and the caller needs every one.
 */
export const RequirePermissions = (...permissions: string[]) =>
  SetMetadata(REQUIRED_PERMISSIONS, permissions);

/** Opens a route (or controller) when the guard covers every route: no token is asked for. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Injects the verified claims of the caller's access token. */
export const Claims = createParamDecorator(
  (_: unknown, context: ExecutionContext): AccessTokenClaims => {
    const claims = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
    if (!claims) throw new Error('@Claims() is used on a route that AuthGuard does not cover');
    return claims;
  },
);
