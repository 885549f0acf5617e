import { Injectable } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service';
import { refusedAsUndefined } from '../keys/material/jwt-errors';
import { SessionsService } from '../sessions/sessions.service';
import { AccessClaims, AccessTokensService, LOGIN_CLIENT_ID } from './access-tokens.service';

/** RFC 7662 §2.2: the answer about an active access token. */
export interface ActiveToken {
  active: true;
  sub: string;
  client_id: string;
  exp: number;
  iat: number;
  iss: string;
  aud: string | string[];
  jti: string;
  sid?: string;
  roles: string[];
  token_type: 'Bearer';
}

export type IntrospectionResponse = ActiveToken | { active: false };

const INACTIVE = { active: false } as const;

/**
 * What the service knows about a presented token. Only access tokens can be active: a refresh
 * token, an MFA step token or garbage is `{active: false}`, like an expired or revoked one.
 */
@Injectable()
export class TokenIntrospection {
  constructor(
    private readonly accessTokens: AccessTokensService,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
  ) {}

  async introspect(token: string): Promise<IntrospectionResponse> {
    const claims = await this.accessTokens.verify(token).catch(refusedAsUndefined);
    if (!claims || !(await this.stillHolds(claims))) return INACTIVE;

    const answer: ActiveToken = {
      active: true,
      sub: claims.sub,
      client_id: claims.client_id,
      exp: claims.exp,
      iat: claims.iat,
      iss: claims.iss,
      aud: claims.aud,
      jti: claims.jti,
      roles: claims.roles,
      token_type: 'Bearer',
    };
    if (claims.sid) answer.sid = claims.sid;
    return answer;
  }

  /** The same judgement as the access guard's: a user's session is alive, a client exists. */
  private async stillHolds(claims: AccessClaims): Promise<boolean> {
    if (claims.sid) return this.sessions.isActive(claims.sid, claims.sub);
    if (claims.client_id === LOGIN_CLIENT_ID || claims.sub !== claims.client_id) return false;
    return (await this.clients.liveClient(claims.client_id)) !== undefined;
  }
}
