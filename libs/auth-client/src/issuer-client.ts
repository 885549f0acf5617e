import { Inject, Injectable } from '@nestjs/common';
import { AUTH_CLIENT_OPTIONS, ResolvedOptions } from './auth-client.options';
import { IssuerUnavailableError } from './issuer-unavailable';

/** The part of Tessera's RFC 8414 metadata this kit uses. */
export interface IssuerMetadata {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
}

/** After a failed discovery, callers fail fast for this long instead of each trying again. */
const DISCOVERY_RETRY_MS = 2_000;

export interface IssuerResponse {
  status: number;
  body: unknown;
}

/**
 * HTTP to Tessera: metadata discovery (cached; retried after a failure) and JSON calls with a
 * timeout. Network errors and timeouts become {@link IssuerUnavailableError}.
 */
@Injectable()
export class IssuerClient {
  private metadata?: Promise<IssuerMetadata>;
  private failedAt = 0;

  constructor(@Inject(AUTH_CLIENT_OPTIONS) private readonly options: ResolvedOptions) {}

  /** `${issuer}${path}`, for Tessera's own routes (which the metadata does not list). */
  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  /** The metadata at `/.well-known/oauth-authorization-server` (RFC 8414 §3), once fetched. */
  discover(): Promise<IssuerMetadata> {
    if (!this.metadata && Date.now() - this.failedAt < DISCOVERY_RETRY_MS) {
      return Promise.reject(new IssuerUnavailableError('issuer metadata: retrying shortly'));
    }
    this.metadata ??= this.fetchMetadata().catch((error: unknown) => {
      this.metadata = undefined;
      this.failedAt = Date.now();
      throw error;
    });
    return this.metadata;
  }

  /** Sends a request and reads a JSON (or empty) answer; throws only when Tessera can't answer. */
  async send(
    url: string,
    init: RequestInit & { timeoutSeconds?: number },
    what: string,
  ): Promise<IssuerResponse> {
    const timeout = AbortSignal.timeout(
      (init.timeoutSeconds ?? this.options.requestTimeoutSeconds) * 1000,
    );
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await fetch(url, { ...init, signal, redirect: 'error' });
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.status, body };
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new IssuerUnavailableError(`${what}: no answer`, { cause: error });
    }
  }

  private async fetchMetadata(): Promise<IssuerMetadata> {
    const issuer = new URL(this.options.issuer);
    // RFC 8414 §3.1: the well-known segment goes between the host and any path of the issuer.
    const path = issuer.pathname === '/' ? '' : issuer.pathname.replace(/\/+$/, '');
    const url = new URL(`/.well-known/oauth-authorization-server${path}`, issuer.origin);
    const { status, body } = await this.send(url.toString(), {}, 'issuer metadata');
    const metadata = body as Partial<IssuerMetadata> | undefined;
    if (
      status !== 200 ||
      typeof metadata?.jwks_uri !== 'string' ||
      typeof metadata.token_endpoint !== 'string'
    ) {
      throw new IssuerUnavailableError(`issuer metadata: unusable answer (${status})`);
    }
    // RFC 8414 §3.3: metadata naming another issuer must not be used.
    if (metadata.issuer !== this.options.issuer) {
      throw new IssuerUnavailableError('issuer metadata: names another issuer');
    }
    return metadata as IssuerMetadata;
  }
}
