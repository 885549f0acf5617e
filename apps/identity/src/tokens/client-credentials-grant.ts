import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { LiveClient } from '../clients/clients.service';
import type { RequestContext } from '../common/request-context';
import { AccessTokensService } from './access-tokens.service';
import type { TokenResponse } from './token-response';

/**
 * RFC 6749 §4.4: an authenticated service gets an access token for itself. `sub` and
 * `client_id` are its client id, `roles` the roles it holds now; there is no session, so no
 * `sid`, no `amr` and no refresh token (§4.4.3).
 */
@Injectable()
export class ClientCredentialsGrant {
  constructor(
    private readonly accessTokens: AccessTokensService,
    private readonly audit: AuditService,
  ) {}

  async issue(client: LiveClient, context: RequestContext): Promise<TokenResponse> {
    const accessToken = await this.accessTokens.issue({
      sub: client.clientId,
      clientId: client.clientId,
      roles: client.roles,
    });
    await this.audit.record(
      {
        type: 'token.issued',
        outcome: 'success',
        actorId: client.clientId,
        subjectId: client.clientId,
        details: { grant: 'client_credentials' },
      },
      context,
    );
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTokens.lifetime,
    };
  }
}
