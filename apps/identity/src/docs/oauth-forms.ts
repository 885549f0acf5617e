import type { RequestBodyObject, SchemaObject, SecurityRequirementObject } from '@nestjs/swagger';
import { SCHEMA_REF_PREFIX } from './dto-schemas';

// The OAuth handlers take `@Body() body: unknown` (RFC 6749 sends forms; JSON is accepted too)
// and read it with oauthParams(), so no DTO describes them: these schemas do, by hand.

const CLIENT_POST: Record<string, SchemaObject> = {
  client_id: { type: 'string', description: 'With `client_secret`: `client_secret_post`.' },
  client_secret: {
    type: 'string',
    format: 'password',
    description: 'Or send both in HTTP Basic (`client_secret_basic`), never both ways at once.',
  },
};

const TOKEN_PARAM: SchemaObject = {
  type: 'string',
  description: 'A refresh token or an access token.',
};

const TOKEN_TYPE_HINT: SchemaObject = {
  type: 'string',
  enum: ['refresh_token', 'access_token'],
  description: 'Accepted and ignored.',
};

export const OAUTH_SCHEMAS: Record<string, SchemaObject> = {
  OAuthTokenRequest: {
    type: 'object',
    description:
      '`grant_type=refresh_token` with `refresh_token` (rotated on each use), or ' +
      '`grant_type=client_credentials` with client authentication.',
    required: ['grant_type'],
    properties: {
      grant_type: { type: 'string', enum: ['refresh_token', 'client_credentials'] },
      refresh_token: { type: 'string' },
      scope: { type: 'string', description: 'Accepted and ignored: the roles decide.' },
      ...CLIENT_POST,
    },
  },
  OAuthRevokeRequest: {
    type: 'object',
    description: 'RFC 7009. Client credentials are optional; when sent they must be right.',
    required: ['token'],
    properties: { token: TOKEN_PARAM, token_type_hint: TOKEN_TYPE_HINT, ...CLIENT_POST },
  },
  OAuthIntrospectRequest: {
    type: 'object',
    description: 'RFC 7662, for authenticated service clients.',
    required: ['token'],
    properties: { token: TOKEN_PARAM, token_type_hint: TOKEN_TYPE_HINT, ...CLIENT_POST },
  },
  TokenResponse: {
    type: 'object',
    description: 'RFC 6749 §5.1; no `refresh_token` for client credentials.',
    required: ['access_token', 'token_type', 'expires_in'],
    properties: {
      access_token: { type: 'string', description: 'A JWT (RFC 9068).' },
      token_type: { type: 'string', enum: ['Bearer'] },
      expires_in: { type: 'integer', description: 'Seconds.' },
      refresh_token: { type: 'string' },
      scope: { type: 'string' },
    },
  },
};

function formBody(schema: string): RequestBodyObject {
  const content = { schema: { $ref: `${SCHEMA_REF_PREFIX}${schema}` } };
  return {
    required: true,
    content: { 'application/x-www-form-urlencoded': content, 'application/json': content },
  };
}

/** Client authentication by HTTP Basic, or (the empty requirement) in the body or not at all. */
const CLIENT_SECURITY: SecurityRequirementObject[] = [{ clientBasic: [] }, {}];

/** What each OAuth operation reads and how a client authenticates to it, by OpenAPI path. */
export const OAUTH_OPERATIONS: Record<
  string,
  { requestBody: RequestBodyObject; security: SecurityRequirementObject[]; description: string }
> = {
  '/oauth/token': {
    requestBody: formBody('OAuthTokenRequest'),
    security: CLIENT_SECURITY,
    description: 'The token endpoint (RFC 6749). Answers `Cache-Control: no-store`.',
  },
  '/oauth/revoke': {
    requestBody: formBody('OAuthRevokeRequest'),
    security: CLIENT_SECURITY,
    description: 'Logout (RFC 7009): ends the session of the token; 200 whatever the token was.',
  },
  '/oauth/introspect': {
    requestBody: formBody('OAuthIntrospectRequest'),
    security: CLIENT_SECURITY,
    description:
      'RFC 7662: `{"active": false}`, or the claims of a live access token. The caller ' +
      'authenticates as a client (HTTP Basic, or `client_id` and `client_secret` in the body).',
  },
};
