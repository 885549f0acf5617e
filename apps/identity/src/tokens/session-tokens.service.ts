import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RolesService } from '../roles/roles.service';
import type { IssuedRefresh } from '../sessions/sessions.service';
import { AccessTokensService, LOGIN_CLIENT_ID } from './access-tokens.service';
import type { TokenResponse } from './token-response';

/** Builds the token response of a user session: a fresh access token beside its refresh token. */
@Injectable()
export class SessionTokensService {
  constructor(
    private readonly accessTokens: AccessTokensService,
    private readonly roles: RolesService,
  ) {}

  /**
   * Roles are read now, so a role an admin removed is gone from the next refreshed token, and
   * a role that needs a second factor is left out unless the session passed one.
   */
  async respond(issued: IssuedRefresh, manager?: EntityManager): Promise<TokenResponse> {
    const { session, refreshToken } = issued;
    const held = issued.heldRoles ?? (await this.roles.rolesOf(session.userId, manager));
    const roles = this.roles.effectiveRoles(held, session.amr).granted;
    const accessToken = await this.accessTokens.issue({
      sub: session.userId,
      sid: session.id,
      clientId: LOGIN_CLIENT_ID,
      amr: session.amr,
      roles,
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTokens.lifetime,
      refresh_token: refreshToken,
    };
  }
}
