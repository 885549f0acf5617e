import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { OAuthError } from '../common/problem';
import { Ctx, RequestContext } from '../common/request-context';
import { SessionsService } from '../sessions/sessions.service';
import { AccessTokensService } from './access-tokens.service';
import { oauthParams, required } from './oauth-params';
import { SessionTokensService } from './session-tokens.service';
import type { TokenResponse } from './token-response';
import { refusedAsUndefined } from '../keys/material/jwt-errors';

/** The OAuth 2.0 token (RFC 6749) and revocation (RFC 7009) endpoints. */
@Public()
@Controller('oauth')
export class TokenController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly sessionTokens: SessionTokensService,
    private readonly accessTokens: AccessTokensService,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  async token(@Body() body: unknown, @Ctx() context: RequestContext): Promise<TokenResponse> {
    const params = oauthParams(body);
    const grantType = required(params, 'grant_type');

    if (grantType !== 'refresh_token') throw OAuthError.unsupportedGrantType();

    // An empty token is a wrong one (invalid_grant), like garbage; only absence is invalid_request.
    const presented = params.refresh_token;
    if (presented === undefined) throw OAuthError.invalidRequest('refresh_token is required.');

    return this.sessions.rotate(presented, context, (manager, issued) =>
      this.sessionTokens.respond(issued.session, issued.refreshToken, manager),
    );
  }

  /** Logout: ends the session of a refresh or access token. Answers 200 whatever the token was. */
  @Post('revoke')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async revoke(@Body() body: unknown, @Ctx() context: RequestContext): Promise<void> {
    const params = oauthParams(body);
    const token = required(params, 'token');

    const sessionId = await this.sessions.sessionOfRefreshToken(token);
    if (sessionId) {
      await this.sessions.revoke(sessionId, 'logout', context);
      return;
    }

    const claims = await this.accessTokens.verify(token).catch(refusedAsUndefined);
    if (claims?.sid) await this.sessions.revoke(claims.sid, 'logout', context, claims.sub);
  }
}
