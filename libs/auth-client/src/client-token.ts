import { Inject, Injectable } from '@nestjs/common';
import { AUTH_CLIENT_OPTIONS, ResolvedOptions } from './auth-client.options';
import { IssuerClient, IssuerResponse } from './issuer-client';
import { IssuerUnavailableError } from './issuer-unavailable';

/** A token is replaced this long before it expires, so that none is sent about to lapse. */
const RENEW_BEFORE_SECONDS = 30;

interface Held {
  token: string;
  renewAt: number;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicAuthorization(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/**
 * This service's own access token (client credentials grant, `client_secret_basic`), kept until
 * shortly before it expires and fetched by one caller at a time. It also tells how long
 * Tessera's access tokens live, which bounds how long a revocation must be remembered.
 */
@Injectable()
export class ClientToken {
  private held?: Held;
  private pending?: Promise<Held>;
  /** `expires_in` of the last token: Tessera gives every access token the same lifetime. */
  lifetimeSeconds?: number;

  constructor(
    @Inject(AUTH_CLIENT_OPTIONS) private readonly options: ResolvedOptions,
    private readonly issuer: IssuerClient,
  ) {}

  /**
   * Calls `send` with a bearer token; on a 401 (the token was revoked, or its key rotated out),
   * fetches a new token and tries once more.
   */
  async authorized(
    send: (authorization: string) => Promise<IssuerResponse>,
  ): Promise<IssuerResponse> {
    const first = await this.current();
    const response = await send(`Bearer ${first.token}`);
    if (response.status !== 401) return response;
    if (this.held === first) this.held = undefined;
    return send(`Bearer ${(await this.current()).token}`);
  }

  private current(): Promise<Held> {
    if (this.held && Date.now() < this.held.renewAt) return Promise.resolve(this.held);
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetch(): Promise<Held> {
    const { clientId, clientSecret } = this.options;
    if (!clientId || !clientSecret) {
      throw new Error('auth-client: this needs clientId and clientSecret in forRoot');
    }
    const { token_endpoint } = await this.issuer.discover();
    const { status, body } = await this.issuer.send(
      token_endpoint,
      {
        method: 'POST',
        headers: {
          authorization: basicAuthorization(clientId, clientSecret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      },
      'client credentials grant',
    );
    const answer = body as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (status !== 200 || typeof answer?.access_token !== 'string') {
      // A refused secret is a configuration error, but the service still must not let anyone in.
      throw new IssuerUnavailableError(`client credentials grant: refused (${status})`);
    }
    const lifetime = typeof answer.expires_in === 'number' ? answer.expires_in : 60;
    this.lifetimeSeconds = lifetime;
    const keepFor =
      lifetime > 2 * RENEW_BEFORE_SECONDS ? lifetime - RENEW_BEFORE_SECONDS : lifetime / 2;
    this.held = { token: answer.access_token, renewAt: Date.now() + keepFor * 1000 };
    return this.held;
  }
}
