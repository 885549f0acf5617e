import { Inject, Injectable } from '@nestjs/common';
import { AccessTokenClaims, AUTH_CLIENT_OPTIONS, ResolvedOptions } from './auth-client.options';
import { ClientToken } from './client-token';
import { ExpiringMap } from './expiring-map';
import { IssuerClient } from './issuer-client';
import { IssuerUnavailableError } from './issuer-unavailable';

/** Distinct (token, permissions) answers kept at once; one per token in flight is typical. */
const MAX_CACHED = 50_000;

/**
 * Asks Tessera's `POST /v1/authz/check` whether the user behind a token holds every permission a
 * route needs, in one call, authenticated as this service. Answers (yes and no) are reused for
 * `permissionCacheSeconds` per token and permission set, and concurrent identical questions
 * share one call. Throws {@link IssuerUnavailableError} when there is no answer: never a "yes".
 */
@Injectable()
export class PermissionChecker {
  private readonly answers: ExpiringMap<string, boolean>;
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(
    @Inject(AUTH_CLIENT_OPTIONS) private readonly options: ResolvedOptions,
    private readonly issuer: IssuerClient,
    private readonly clientToken: ClientToken,
  ) {
    this.answers = new ExpiringMap(MAX_CACHED);
  }

  async allows(token: string, claims: AccessTokenClaims, permissions: string[]): Promise<boolean> {
    if (this.options.authorize) return this.options.authorize(claims, permissions);
    const wanted = [...new Set(permissions)].sort();
    // The token's own id keys the cache, so that the token itself is not kept as a key.
    const key = `${claims.jti ?? `${claims.sub}|${claims.sid ?? ''}`}\n${wanted.join(' ')}`;
    const cached = this.answers.get(key);
    if (cached !== undefined) return cached;

    let pending = this.asking.get(key);
    if (!pending) {
      pending = this.ask(token, wanted)
        .then((allowed) => {
          const until = Date.now() + this.options.permissionCacheSeconds * 1000;
          this.answers.set(key, allowed, until);
          return allowed;
        })
        .finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
    }
    return pending;
  }

  /** Forgets every answer (after a gap in the revocation feed, any of them may be stale). */
  clear(): void {
    this.answers.clear();
  }

  private async ask(token: string, permissions: string[]): Promise<boolean> {
    const { status, body } = await this.clientToken.authorized((authorization) =>
      this.issuer.send(
        this.issuer.url('/v1/authz/check'),
        {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ token, permissions }),
        },
        'permission check',
      ),
    );
    const answer = body as { allowed?: unknown } | undefined;
    if (status !== 200 || typeof answer?.allowed !== 'boolean') {
      throw new IssuerUnavailableError(`permission check: unusable answer (${status})`);
    }
    return answer.allowed;
  }
}
