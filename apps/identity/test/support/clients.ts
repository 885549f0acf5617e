import type { Client, Reply } from './http';

/** A service client as the admin API gave it out, secret included. */
export interface CreatedClient {
  id: string;
  clientId: string;
  clientSecret: string;
  name: string;
  roles: string[];
  createdAt: string;
  updatedAt: string;
}

/** Registers a service client through the admin API and fails the test if that does not work. */
export async function createClient(
  api: Client,
  adminAccessToken: string,
  roles: string[] = [],
  name = 'reporting service',
): Promise<CreatedClient> {
  const reply = await api.post('/v1/admin/clients', { name, roles }, { token: adminAccessToken });
  if (reply.status !== 201)
    throw new Error(`create client answered ${reply.status}: ${reply.text}`);
  return reply.body as CreatedClient;
}

/** An `Authorization: Basic` value, id and secret form-urlencoded first (RFC 6749 §2.3.1). */
export function basicAuthorization(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** POST /oauth/token with the client credentials grant, authenticating with Basic. */
export function requestClientToken(
  api: Client,
  credentials: Pick<CreatedClient, 'clientId' | 'clientSecret'>,
): Promise<Reply> {
  return api.post('/oauth/token', undefined, {
    form: { grant_type: 'client_credentials' },
    headers: { authorization: basicAuthorization(credentials.clientId, credentials.clientSecret) },
  });
}

/** An access token of the client, failing the test if the grant does not work. */
export async function clientAccessToken(
  api: Client,
  credentials: Pick<CreatedClient, 'clientId' | 'clientSecret'>,
): Promise<string> {
  const reply = await requestClientToken(api, credentials);
  if (reply.status !== 200) throw new Error(`token answered ${reply.status}: ${reply.text}`);
  return reply.body.access_token as string;
}

/** POST /oauth/introspect as the given client (client_secret_post). */
export function introspect(
  api: Client,
  caller: Pick<CreatedClient, 'clientId' | 'clientSecret'>,
  token: string,
): Promise<Reply> {
  return api.post('/oauth/introspect', undefined, {
    form: { token, client_id: caller.clientId, client_secret: caller.clientSecret },
  });
}
