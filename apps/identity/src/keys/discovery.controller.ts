import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { KeysService } from './keys.service';

/** How long consumers may cache the JWKS; they refetch it when a token names an unknown kid. */
export const JWKS_MAX_AGE_SECONDS = 300;

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'];

@Public()
@Controller('.well-known')
export class DiscoveryController {
  private readonly metadata: Record<string, unknown>;

  constructor(
    private readonly keys: KeysService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const issuer = config.issuer;
    this.metadata = {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      grant_types_supported: ['refresh_token', 'client_credentials'],
      // `none` is for the login screens, public clients that only refresh and revoke.
      token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: [],
      scopes_supported: [],
      subject_types_supported: ['public'],
      access_token_signing_alg_values_supported: [config.signingAlg],
    };
  }

  @Get('jwks.json')
  @Header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
  jwks() {
    return this.keys.jwks();
  }

  @Get('openid-configuration')
  @Header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
  openidConfiguration() {
    return this.metadata;
  }

  @Get('oauth-authorization-server')
  @Header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
  authorizationServer() {
    return this.metadata;
  }
}
