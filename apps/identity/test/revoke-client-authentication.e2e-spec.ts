import { registerAndLogin, type Tokens } from './support/accounts';
import { ADMIN_SUITE_ENV, adminToken } from './support/admin';
import { basicAuthorization, createClient, CreatedClient } from './support/clients';
import { appForSuite } from './support/suite-app';

const BASIC_CHALLENGE = 'Basic realm="tessera"';

describe('client authentication at POST /oauth/revoke', () => {
  const { api } = appForSuite(ADMIN_SUITE_ENV);
  let service: CreatedClient;

  beforeAll(async () => {
    service = await createClient(api, await adminToken(api));
  });

  async function sessionAlive(tokens: Tokens): Promise<boolean> {
    return (await api.get('/v1/me', { token: tokens.access_token })).status === 200;
  }

  it('ends the session when the client authenticates with client_secret_post', async () => {
    const { tokens } = await registerAndLogin(api);

    const reply = await api.post('/oauth/revoke', undefined, {
      form: {
        token: tokens.refresh_token,
        client_id: service.clientId,
        client_secret: service.clientSecret,
      },
    });

    expect(reply.status).toBe(200);
    expect(await sessionAlive(tokens)).toBe(false);
  });

  it('ends the session when the client authenticates with client_secret_basic', async () => {
    const { tokens } = await registerAndLogin(api);

    const reply = await api.post('/oauth/revoke', undefined, {
      form: { token: tokens.refresh_token },
      headers: { authorization: basicAuthorization(service.clientId, service.clientSecret) },
    });

    expect(reply.status).toBe(200);
    expect(await sessionAlive(tokens)).toBe(false);
  });

  it('still serves the login screens, public clients that name themselves or nobody', async () => {
    const { tokens } = await registerAndLogin(api);

    const reply = await api.post('/oauth/revoke', undefined, {
      form: { token: tokens.refresh_token, client_id: 'tessera' },
    });

    expect(reply.status).toBe(200);
    expect(await sessionAlive(tokens)).toBe(false);
  });

  it.each<[string, () => Record<string, string>, Record<string, string>, string | null]>([
    [
      'a wrong Basic secret',
      () => ({ authorization: basicAuthorization(service.clientId, 'guess') }),
      {},
      BASIC_CHALLENGE,
    ],
    ['a wrong posted secret', () => ({}), { client_secret: 'guess' }, null],
    ['a registered client id without its secret', () => ({}), {}, BASIC_CHALLENGE],
  ])(
    'answers 401 invalid_client to %s and leaves the session alone',
    async (_, headers, form, challenge) => {
      const { tokens } = await registerAndLogin(api);

      const reply = await api.post('/oauth/revoke', undefined, {
        form: { token: tokens.refresh_token, client_id: service.clientId, ...form },
        headers: headers(),
      });

      expect([reply.status, reply.body.error]).toEqual([401, 'invalid_client']);
      expect(reply.headers.get('www-authenticate')).toBe(challenge);
      expect(await sessionAlive(tokens)).toBe(true);
    },
  );
});
