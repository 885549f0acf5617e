import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  allowInsecureRequests,
  ClientSecretBasic,
  clientCredentialsGrant,
  type Configuration,
  discovery,
  tokenIntrospection,
  tokenRevocation,
} from 'openid-client';
import { registerAndLogin } from './support/accounts';
import { ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { createClient, CreatedClient } from './support/clients';
import { appForSuite } from './support/suite-app';

// The real openid-client v6, as another service would use it; the test server speaks plain http.
describe('a service using openid-client against the identity service', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let service: CreatedClient;

  beforeAll(async () => {
    await createRoleInDb(app, 'reporter', ['user:read']);
    service = await createClient(api, await adminToken(api), ['reporter']);
  });

  function configure(clientAuthentication?: ReturnType<typeof ClientSecretBasic>) {
    return discovery(
      new URL(app.url),
      service.clientId,
      service.clientSecret,
      clientAuthentication,
      { execute: [allowInsecureRequests] },
    );
  }

  it('discovers the grant, the endpoints and the client authentication methods', async () => {
    const metadata = (await configure()).serverMetadata();

    expect(metadata).toMatchObject({
      issuer: app.url,
      token_endpoint: `${app.url}/oauth/token`,
      introspection_endpoint: `${app.url}/oauth/introspect`,
      revocation_endpoint: `${app.url}/oauth/revoke`,
      grant_types_supported: ['refresh_token', 'client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: expect.arrayContaining(['client_secret_basic']),
    });
  });

  it.each<[string, () => Promise<Configuration>]>([
    ['client_secret_post', () => configure()],
    ['client_secret_basic', () => configure(ClientSecretBasic())],
  ])('gets a token with the client credentials grant over %s', async (_, configured) => {
    const config = await configured();

    const tokens = await clientCredentialsGrant(config, { scope: 'reports' });

    expect(tokens.token_type).toBe('bearer');
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.expiresIn()).toBeGreaterThan(0);
  });

  it('gets a token that a resource server verifies against the published JWKS', async () => {
    const config = await configure();
    const { access_token } = await clientCredentialsGrant(config);
    const metadata = config.serverMetadata();
    const jwks = createRemoteJWKSet(new URL(`${metadata.jwks_uri}`));

    const { payload, protectedHeader } = await jwtVerify(access_token, jwks, {
      issuer: metadata.issuer,
      audience: 'api',
      typ: 'at+jwt',
    });

    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      sub: service.clientId,
      client_id: service.clientId,
      roles: ['reporter'],
    });
  });

  it('introspects its own token as active', async () => {
    const config = await configure(ClientSecretBasic());
    const { access_token } = await clientCredentialsGrant(config);

    const answer = await tokenIntrospection(config, access_token);

    expect(answer).toMatchObject({
      active: true,
      client_id: service.clientId,
      sub: service.clientId,
    });
  });

  it("sees a user's access token go inactive once it revokes the user's refresh token", async () => {
    const config = await configure();
    const { tokens } = await registerAndLogin(api);
    expect((await tokenIntrospection(config, tokens.access_token)).active).toBe(true);

    await tokenRevocation(config, tokens.refresh_token, { token_type_hint: 'refresh_token' });

    expect(await tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
  });
});
