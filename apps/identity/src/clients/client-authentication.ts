import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { OAuthError } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { CLIENT_ID_SHAPE, clientSecretMatches } from './client-secrets';
import { ClientsService, LiveClient } from './clients.service';
import { presentedCredentials, PresentedCredentials } from './presented-credentials';

type FailureReason = 'no_credentials' | 'malformed_credentials' | 'unknown_client' | 'wrong_secret';

/**
 * RFC 6749 §5.2 `invalid_client`, the same answer whatever went wrong. A client that tried
 * Basic (or sent nothing) is told which scheme to use, as §5.2 and RFC 9110 ask of a 401.
 */
export function invalidClient(method: PresentedCredentials['method']): OAuthError {
  const headers: Record<string, string> =
    method === 'client_secret_post' ? {} : { 'www-authenticate': 'Basic realm="tessera"' };
  return new OAuthError(401, 'invalid_client', 'Client authentication failed.', headers);
}

/** Authenticates service clients at the OAuth endpoints: token, introspection, revocation. */
@Injectable()
export class ClientAuthentication {
  constructor(
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The client that the request authenticates as, with `client_secret_basic` or
   * `client_secret_post`. Throws `invalid_request` for two methods at once, and a 401
   * `invalid_client` (audited as `client.auth_failed`) for anything else that is not a
   * registered client with its current secret.
   */
  async authenticate(
    authorization: string | undefined,
    params: Record<string, string | undefined>,
    context: RequestContext,
  ): Promise<LiveClient> {
    return this.verify(presentedCredentials(authorization, params), context);
  }

  /**
   * For endpoints open to public clients (revocation): undefined when the request authenticates
   * no client, or names only an id that no registered client has (a public login screen). A
   * secret, a Basic header or a registered client's bare id must authenticate, as above.
   */
  async authenticateIfPresented(
    authorization: string | undefined,
    params: Record<string, string | undefined>,
    context: RequestContext,
  ): Promise<LiveClient | undefined> {
    const presented = presentedCredentials(authorization, params);
    if (presented.method !== 'none') return this.verify(presented, context);
    if (presented.clientId === undefined) return undefined;

    // A registered client is confidential: naming it without its secret is a failed login.
    const clientId = presented.clientId;
    if (CLIENT_ID_SHAPE.test(clientId) && (await this.clients.liveClient(clientId))) {
      return this.refuse(presented, 'no_credentials', context);
    }
    return undefined;
  }

  private async verify(
    presented: PresentedCredentials,
    context: RequestContext,
  ): Promise<LiveClient> {
    const { clientId, secret } = presented;
    if (clientId === undefined || secret === undefined) {
      const reason = presented.method === 'none' ? 'no_credentials' : 'malformed_credentials';
      return this.refuse(presented, reason, context);
    }

    // Unknown ids get the same hash and comparison as known ones, so timing tells nothing; an id
    // that is not of our shape names no client, and is never handed to the database.
    const stored = CLIENT_ID_SHAPE.test(clientId)
      ? await this.clients.credentialsOf(clientId)
      : undefined;
    if (!clientSecretMatches(secret, stored?.secretHash) || !stored) {
      return this.refuse(presented, stored ? 'wrong_secret' : 'unknown_client', context);
    }
    return stored.client;
  }

  private async refuse(
    presented: PresentedCredentials,
    reason: FailureReason,
    context: RequestContext,
  ): Promise<never> {
    const clientId = presented.clientId;
    await this.audit.record(
      {
        type: 'client.auth_failed',
        outcome: 'failure',
        // Only an id of our shape is kept: anything else is caller text and names no client.
        subjectId: clientId && CLIENT_ID_SHAPE.test(clientId) ? clientId : null,
        details: { method: presented.method, reason },
      },
      context,
    );
    throw invalidClient(presented.method);
  }
}
