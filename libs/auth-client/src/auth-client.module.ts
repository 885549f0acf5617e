import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthClientOptions, AUTH_CLIENT_OPTIONS, resolveOptions } from './auth-client.options';
import { AuthGuard } from './auth.guard';
import { ClientToken } from './client-token';
import { IssuerClient } from './issuer-client';
import { PermissionChecker } from './permission-checker';
import { RevocationFollower } from './revocation-follower';
import { RevokedTokens } from './revoked-tokens';
import { TokenVerifier } from './token-verifier';

/**
 * Makes a NestJS service trust Tessera: `AuthClientModule.forRoot({ issuer, audience, ... })`
 * once, then `AuthGuard` on the routes (or `guardAllRoutes: true` and `@Public()` where no token
 * is needed), and `@RequirePermissions(...)` where a permission is needed. The module is global,
 * so the guard can be registered from any module (`{ provide: APP_GUARD, useExisting: AuthGuard }`).
 */
@Module({})
export class AuthClientModule {
  static forRoot(options: AuthClientOptions): DynamicModule {
    const resolved = resolveOptions(options);
    const providers: Provider[] = [
      { provide: AUTH_CLIENT_OPTIONS, useValue: resolved },
      IssuerClient,
      ClientToken,
      TokenVerifier,
      RevokedTokens,
      PermissionChecker,
      RevocationFollower,
      AuthGuard,
    ];
    if (resolved.guardAllRoutes) providers.push({ provide: APP_GUARD, useExisting: AuthGuard });
    return {
      module: AuthClientModule,
      global: true,
      providers,
      exports: [AuthGuard, TokenVerifier, PermissionChecker, RevokedTokens, RevocationFollower],
    };
  }
}
