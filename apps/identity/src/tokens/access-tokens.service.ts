import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { KeysService } from '../keys/keys.service';
import { signJwt, type JwtClaims } from '../keys/material/jwt';

export const ACCESS_TOKEN_TYP = 'at+jwt';
/** Login screens are public clients that Tessera does not register; their tokens name this one. */
export const LOGIN_CLIENT_ID = 'tessera';

export interface AccessTokenSubject {
  sub: string;
  clientId: string;
  roles: string[];
  sid?: string;
  amr?: string[];
}

export interface AccessClaims extends JwtClaims {
  client_id: string;
  jti: string;
  roles: string[];
  sid?: string;
  amr?: string[];
}

// RFC 6750 §2.1: the scheme is case-insensitive (RFC 9110 §11.1) and followed by 1*SP.
const BEARER = /^Bearer +([A-Za-z0-9_.~+/-]+=*)$/i;

/** The token of an `Authorization: Bearer` header; tokens are never read from anywhere else. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/** Issues and verifies RFC 9068 access tokens with the keys of {@link KeysService}. */
@Injectable()
export class AccessTokensService {
  private readonly verifiedByRequest = new WeakMap<
    object,
    { token: string; claims: Promise<AccessClaims> }
  >();

  constructor(
    private readonly keys: KeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get lifetime(): number {
    return this.config.accessTokenTtl;
  }

  async issue(subject: AccessTokenSubject): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const audience = this.config.tokenAudience;
    const payload: Record<string, unknown> = {
      iss: this.config.issuer,
      sub: subject.sub,
      aud: audience.length === 1 ? audience[0] : audience,
      exp: now + this.config.accessTokenTtl,
      iat: now,
      nbf: now,
      jti: randomUUID(),
      client_id: subject.clientId,
      roles: subject.roles,
    };
    if (subject.sid) payload.sid = subject.sid;
    if (subject.amr) payload.amr = subject.amr;
    return signJwt(payload, this.keys.signingKey(), ACCESS_TOKEN_TYP);
  }

  /**
   * {@link verify}, once per request: the rate-limit guard and the access guard both need the
   * caller's claims, and a signature check is the costliest step of an authenticated request.
   */
  verifyForRequest(request: object, token: string): Promise<AccessClaims> {
    const known = this.verifiedByRequest.get(request);
    if (known?.token === token) return known.claims;
    const claims = this.verify(token);
    this.verifiedByRequest.set(request, { token, claims });
    return claims;
  }

  /** Verifies signature, kid, typ, issuer, audience and lifetime; throws InvalidTokenError. */
  async verify(token: string): Promise<AccessClaims> {
    const claims = await this.keys.verify(token, {
      issuer: this.config.issuer,
      audience: this.config.tokenAudience,
      typ: ACCESS_TOKEN_TYP,
    });
    return claims as AccessClaims;
  }
}
