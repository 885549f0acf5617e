import { OAuthError } from '../common/problem';

/**
 * Reads an OAuth request body (form or JSON) as single string parameters. RFC 6749 §3.2 forbids
 * repeating a parameter, so a repeated one (an array after form parsing) is `invalid_request`.
 */
export function oauthParams(body: unknown): Record<string, string | undefined> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw OAuthError.invalidRequest('The body must be a form or a JSON object.');
  }
  const params: Record<string, string | undefined> = Object.create(null);
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value)) throw OAuthError.invalidRequest(`${name} must not be repeated.`);
    if (typeof value !== 'string') throw OAuthError.invalidRequest(`${name} must be a string.`);
    params[name] = value;
  }
  return params;
}

export function required(params: Record<string, string | undefined>, name: string): string {
  const value = params[name];
  if (!value) throw OAuthError.invalidRequest(`${name} is required.`);
  return value;
}
