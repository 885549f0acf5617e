import { isUtf8 } from 'node:buffer';
import { OAuthError } from '../common/problem';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/**
 * How a request says which client sends it (RFC 6749 §2.3.1). `clientId` is absent when nothing
 * names a client or the Basic header is unreadable; `secret` is absent for a public client.
 */
export interface PresentedCredentials {
  method: ClientAuthMethod;
  clientId?: string;
  secret?: string;
}

// RFC 7617: the scheme is case-insensitive; the credentials are one base64 token.
const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;
// Far beyond any id and secret this service hands out; bounds the decoding work.
const MAX_HEADER_LENGTH = 2048;

/** `application/x-www-form-urlencoded` decoding of one value; undefined when malformed. */
function formDecoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The client id and secret of an `Authorization: Basic` header, each form-urlencoded before the
 * base64 as RFC 6749 §2.3.1 asks. Undefined when the header is not Basic or is malformed.
 */
export function basicCredentials(header: string): { clientId: string; secret: string } | undefined {
  if (header.length > MAX_HEADER_LENGTH) return undefined;
  const encoded = BASIC.exec(header)?.[1];
  if (!encoded || encoded.replace(/=+$/, '').length % 4 === 1) return undefined;

  const bytes = Buffer.from(encoded, 'base64');
  if (!isUtf8(bytes)) return undefined;
  const text = bytes.toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return undefined;

  const clientId = formDecoded(text.slice(0, colon));
  const secret = formDecoded(text.slice(colon + 1));
  if (!clientId || secret === undefined) return undefined;
  return { clientId, secret };
}

/**
 * Reads the client credentials of a request from its Authorization header and its parameters.
 * Throws `invalid_request` when two methods are used at once (RFC 6749 §2.3) or a secret comes
 * without an id; an unreadable Authorization header is a failed Basic attempt, not an error here,
 * so that the caller answers it like a wrong secret.
 */
export function presentedCredentials(
  authorization: string | undefined,
  params: Record<string, string | undefined>,
): PresentedCredentials {
  const bodyId = params.client_id || undefined;
  const bodySecret = params.client_secret || undefined;

  if (authorization !== undefined) {
    if (bodySecret !== undefined) {
      throw OAuthError.invalidRequest('Authenticate the client with one method only.');
    }
    const basic = basicCredentials(authorization);
    if (!basic) return { method: 'client_secret_basic' };
    // RFC 6749 §2.3.1 lets a Basic client repeat its id in the body; it must be the same one.
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw OAuthError.invalidRequest(
        'client_id differs from the one in the Authorization header.',
      );
    }
    return { method: 'client_secret_basic', ...basic };
  }

  if (bodySecret !== undefined) {
    if (bodyId === undefined) throw OAuthError.invalidRequest('client_id is required.');
    return { method: 'client_secret_post', clientId: bodyId, secret: bodySecret };
  }
  return { method: 'none', clientId: bodyId };
}
