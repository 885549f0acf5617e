import { decodeJwt } from 'jose';
import { registerAndLogin } from './support/accounts';
import { ADMIN_SUITE_ENV, adminToken } from './support/admin';
import {
  basicAuthorization,
  clientAccessToken,
  createClient,
  CreatedClient,
  introspect,
} from './support/clients';
import { appForSuite } from './support/suite-app';

describe('token introspection at POST /oauth/introspect', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let admin: string;
  let caller: CreatedClient;

  beforeAll(async () => {
    admin = await adminToken(api);
    caller = await createClient(api, admin, [], 'resource server');
  });

  describe('the caller', () => {
    it.each<[string, () => Record<string, string>]>([
      ['no client authentication', () => ({})],
      ['a public client id alone', () => ({ client_id: 'tessera' })],
      ['a wrong secret', () => ({ client_id: caller.clientId, client_secret: 'guess' })],
    ])('is refused with 401 invalid_client for %s', async (_, credentials) => {
      const { tokens } = await registerAndLogin(api);

      const reply = await api.post('/oauth/introspect', undefined, {
        form: { token: tokens.access_token, ...credentials() },
      });

      expect([reply.status, reply.body.error]).toEqual([401, 'invalid_client']);
      expect(reply.text).not.toContain('"active"');
    });

    it('may authenticate with client_secret_basic', async () => {
      const { tokens } = await registerAndLogin(api);

      const reply = await api.post('/oauth/introspect', undefined, {
        form: { token: tokens.access_token, token_type_hint: 'access_token' },
        headers: { authorization: basicAuthorization(caller.clientId, caller.clientSecret) },
      });

      expect([reply.status, reply.body.active]).toEqual([200, true]);
    });

    it('must send a token', async () => {
      const reply = await api.post('/oauth/introspect', undefined, {
        form: { client_id: caller.clientId, client_secret: caller.clientSecret },
      });

      expect([reply.status, reply.body.error]).toEqual([400, 'invalid_request']);
    });
  });

  describe('the answer', () => {
    it("describes a live user's access token, with no-store", async () => {
      const { account, tokens } = await registerAndLogin(api);
      const claims = decodeJwt(tokens.access_token);

      const reply = await introspect(api, caller, tokens.access_token);

      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toEqual({
        active: true,
        sub: account.id,
        client_id: 'tessera',
        sid: claims.sid,
        roles: ['user'],
        exp: claims.exp,
        iat: claims.iat,
        iss: app.url,
        aud: 'api',
        jti: claims.jti,
        token_type: 'Bearer',
      });
    });

    it("describes a client's access token, without a sid", async () => {
      const other = await createClient(api, admin, ['user']);
      const token = await clientAccessToken(api, other);

      const reply = await introspect(api, caller, token);

      expect(reply.body).toMatchObject({
        active: true,
        sub: other.clientId,
        client_id: other.clientId,
        roles: ['user'],
      });
      expect(reply.body).not.toHaveProperty('sid');
    });

    it('calls a revoked session’s access token inactive', async () => {
      const { tokens } = await registerAndLogin(api);
      await api.post('/oauth/revoke', undefined, { form: { token: tokens.refresh_token } });

      const reply = await introspect(api, caller, tokens.access_token);

      expect(reply.body).toEqual({ active: false });
    });

    it('calls a deleted client’s token inactive', async () => {
      const other = await createClient(api, admin);
      const token = await clientAccessToken(api, other);
      expect((await introspect(api, caller, token)).body.active).toBe(true);

      await api.delete(`/v1/admin/clients/${other.id}`, undefined, { token: admin });

      expect((await introspect(api, caller, token)).body).toEqual({ active: false });
    });

    it.each([
      ['a refresh token', async () => (await registerAndLogin(api)).tokens.refresh_token],
      ['garbage', async () => 'not.a.token'],
      ['an empty string', async () => ' '],
      ['an access token with an edited payload', async () => tamperedAccessToken()],
    ])('calls %s inactive', async (_, tokenOf) => {
      const reply = await introspect(api, caller, await tokenOf());

      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ active: false });
    });
  });

  async function tamperedAccessToken(): Promise<string> {
    const { tokens } = await registerAndLogin(api);
    const [header, payload, signature] = tokens.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const edited = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString(
      'base64url',
    );
    return `${header}.${edited}.${signature}`;
  }
});
