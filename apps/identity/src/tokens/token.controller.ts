import { Body, Controller, Header, Headers, HttpCode, Post } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { ClientAuthentication } from '../clients/client-authentication';
import { OAuthError } from '../common/problem';
import { Ctx, RequestContext } from '../common/request-context';
import { refusedAsUndefined } from '../keys/material/jwt-errors';
import { SessionsService } from '../sessions/sessions.service';
import { AccessTokensService } from './access-tokens.service';
import { ClientCredentialsGrant } from './client-credentials-grant';
import { IntrospectionResponse, TokenIntrospection } from './introspection';
import { oauthParams, required } from './oauth-params';
import { SessionTokensService } from './session-tokens.service';
import type { TokenResponse } from './token-response';

/** The OAuth 2.0 token (RFC 6749), revocation (RFC 7009) and introspection (RFC 7662) endpoints. */
@Public()
@Controller('oauth')
export class TokenController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly sessionTokens: SessionTokensService,
    private readonly accessTokens: AccessTokensService,
    private readonly clientAuthentication: ClientAuthentication,
    private readonly clientCredentials: ClientCredentialsGrant,
    private readonly introspection: TokenIntrospection,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  async token(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Ctx() context: RequestContext,
  ): Promise<TokenResponse> {
    const params = oauthParams(body);
    const grantType = required(params, 'grant_type');

    // `scope` is accepted and ignored: a client's roles say what its token may do.
    if (grantType === 'client_credentials') {
      const client = await this.clientAuthentication.authenticate(authorization, params, context);
      return this.clientCredentials.issue(client, context);
    }

    if (grantType !== 'refresh_token') throw OAuthError.unsupportedGrantType();

    // An empty token is a wrong one (invalid_grant), like garbage; only absence is invalid_request.
    const presented = params.refresh_token;
    if (presented === undefined) throw OAuthError.invalidRequest('refresh_token is required.');

    return this.sessions.rotate(presented, context, (manager, issued) =>
      this.sessionTokens.respond(issued, manager),
    );
  }

  /**
   * Logout: ends the session of a refresh or access token. Answers 200 whatever the token was.
   * Client credentials, when sent (as openid-client does), must be right (RFC 7009 §2.1); any
   * holder of a token may end its session, so the token need not be the client's own.
   */
  @Post('revoke')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async revoke(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Ctx() context: RequestContext,
  ): Promise<void> {
    const params = oauthParams(body);
    await this.clientAuthentication.authenticateIfPresented(authorization, params, context);
    const token = required(params, 'token');

    const sessionId = await this.sessions.sessionOfRefreshToken(token);
    if (sessionId) {
      await this.sessions.revoke(sessionId, 'logout', context);
      return;
    }

    const claims = await this.accessTokens.verify(token).catch(refusedAsUndefined);
    if (claims?.sid) await this.sessions.revoke(claims.sid, 'logout', context, claims.sub);
  }

  /** For registered service clients; `token_type_hint` is ignored: only access tokens are active. */
  @Post('introspect')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async introspect(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Ctx() context: RequestContext,
  ): Promise<IntrospectionResponse> {
    const params = oauthParams(body);
    await this.clientAuthentication.authenticate(authorization, params, context);
    const token = required(params, 'token');

    return this.introspection.introspect(token);
  }
}
