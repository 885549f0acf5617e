import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { auditByRequest } from './support/audit-queries';
import {
  basicAuthorization,
  clientAccessToken,
  createClient,
  CreatedClient,
  requestClientToken,
} from './support/clients';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

const BASIC_CHALLENGE = 'Basic realm="tessera"';

/** As oauth4webapi sends them: even `-`, `_` and `.` percent-encoded. */
function percentEncodedEverywhere(value: string): string {
  return [...value].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
}

describe('the client credentials grant at POST /oauth/token', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let admin: string;
  let reporter: CreatedClient;

  beforeAll(async () => {
    admin = await adminToken(api);
    await createRoleInDb(app, 'reporter', ['user:read']);
    await createRoleInDb(app, 'client-keeper', ['client:write']);
    reporter = await createClient(api, admin, ['reporter']);
  });

  function tokenRequest(form: Record<string, string>, authorization?: string) {
    return api.post('/oauth/token', undefined, {
      form: { grant_type: 'client_credentials', ...form },
      headers: authorization ? { authorization } : {},
    });
  }

  describe('issuing a token', () => {
    it('answers an access token without a refresh token and with Cache-Control: no-store', async () => {
      const reply = await requestClientToken(api, reporter);

      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
      });
    });

    it('names the client as sub and client_id, carries its roles, and has no sid or amr', async () => {
      const token = await clientAccessToken(api, reporter);

      const claims = decodeJwt(token);
      expect(decodeProtectedHeader(token).typ).toBe('at+jwt');
      expect(claims).toMatchObject({
        sub: reporter.clientId,
        client_id: reporter.clientId,
        roles: ['reporter'],
        iss: app.url,
        aud: 'api',
      });
      expect(claims).not.toHaveProperty('sid');
      expect(claims).not.toHaveProperty('amr');
    });

    it('accepts client_secret_post in a form and in JSON', async () => {
      const credentials = { client_id: reporter.clientId, client_secret: reporter.clientSecret };

      const form = await tokenRequest(credentials);
      const json = await api.post('/oauth/token', {
        grant_type: 'client_credentials',
        ...credentials,
      });

      expect([form.status, json.status]).toEqual([200, 200]);
    });

    it('reads a Basic header whose id and secret are percent-encoded', async () => {
      const userPass = `${percentEncodedEverywhere(reporter.clientId)}:${percentEncodedEverywhere(reporter.clientSecret)}`;

      const reply = await tokenRequest({}, `Basic ${Buffer.from(userPass).toString('base64')}`);

      expect(reply.status).toBe(200);
    });

    it('accepts a scope parameter and ignores it', async () => {
      const reply = await tokenRequest(
        { scope: 'admin everything' },
        basicAuthorization(reporter.clientId, reporter.clientSecret),
      );

      expect(reply.status).toBe(200);
      expect(reply.body).not.toHaveProperty('scope');
      expect(decodeJwt(reply.body.access_token).roles).toEqual(['reporter']);
    });

    it('records token.issued for the client', async () => {
      const requestId = `client-token-${randomUUID()}`;
      await api.post('/oauth/token', undefined, {
        form: { grant_type: 'client_credentials' },
        headers: {
          authorization: basicAuthorization(reporter.clientId, reporter.clientSecret),
          'x-request-id': requestId,
        },
      });

      expect(await auditByRequest(app, requestId)).toEqual([
        expect.objectContaining({
          type: 'token.issued',
          outcome: 'success',
          actor_id: reporter.clientId,
          subject_id: reporter.clientId,
          details: { grant: 'client_credentials' },
        }),
      ]);
    });
  });

  describe('refusing client authentication', () => {
    it('answers 401 invalid_client with a Basic challenge, the same for a wrong secret and an unknown client', async () => {
      const wrongSecret = await tokenRequest({}, basicAuthorization(reporter.clientId, 'guess'));
      const unknown = await tokenRequest({}, basicAuthorization(`svc_${'A'.repeat(22)}`, 'guess'));

      for (const reply of [wrongSecret, unknown]) {
        expect(reply.status).toBe(401);
        expect(reply.body).toEqual({
          error: 'invalid_client',
          error_description: expect.any(String),
        });
        expect(reply.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
        expect(reply.headers.get('cache-control')).toBe('no-store');
      }
      expect(unknown.body).toEqual(wrongSecret.body);
    });

    it.each([
      ['a wrong client_secret_post', () => reporter.clientId],
      ['a client id that no client can have', () => "svc_\u0000' OR 1=1 --"],
    ])('answers 401 invalid_client to %s', async (_, clientId) => {
      const reply = await tokenRequest({ client_id: clientId(), client_secret: 'guess' });

      expect([reply.status, reply.body.error]).toEqual([401, 'invalid_client']);
    });

    it.each([
      ['no client authentication', {}, undefined],
      ['a client_id without a secret', { client_id: 'svc_x' }, undefined],
      ['a malformed Basic header', {}, 'Basic not*base64'],
      ['an empty Basic secret', {}, 'Basic c3ZjX2E6'],
    ])('answers 401 invalid_client to %s', async (_, form, authorization) => {
      const reply = await tokenRequest(form, authorization);

      expect([reply.status, reply.body.error]).toEqual([401, 'invalid_client']);
      expect(reply.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
    });

    it('answers 400 invalid_request to two authentication methods at once', async () => {
      const reply = await tokenRequest(
        { client_id: reporter.clientId, client_secret: reporter.clientSecret },
        basicAuthorization(reporter.clientId, reporter.clientSecret),
      );

      expect([reply.status, reply.body.error]).toEqual([400, 'invalid_request']);
    });

    it('records client.auth_failed without the presented secret', async () => {
      const requestId = `client-auth-failed-${randomUUID()}`;
      const guess = `guess-${randomUUID()}`;
      await api.post('/oauth/token', undefined, {
        form: { grant_type: 'client_credentials' },
        headers: {
          authorization: basicAuthorization(reporter.clientId, guess),
          'x-request-id': requestId,
        },
      });

      const events = await auditByRequest(app, requestId);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'client.auth_failed',
          outcome: 'failure',
          subject_id: reporter.clientId,
          details: { method: 'client_secret_basic', reason: 'wrong_secret' },
        }),
      ]);
      expect(JSON.stringify(events)).not.toContain(guess);
    });
  });

  describe('using a client token', () => {
    it('is refused with 403 on a route that acts for a signed-in user', async () => {
      const token = await clientAccessToken(api, reporter);

      expectProblem(await api.get('/v1/me', { token }), 403, 'forbidden');
    });

    it('passes a route guarded by a permission its role holds, and no other', async () => {
      const token = await clientAccessToken(api, reporter);

      expect((await api.get('/v1/admin/users', { token })).status).toBe(200);
      expectProblem(await api.get('/v1/admin/clients', { token }), 403, 'forbidden');
    });

    it('lets a client holding client:write manage clients, and is refused once it is deleted', async () => {
      const keeper = await createClient(api, admin, ['client-keeper']);
      const token = await clientAccessToken(api, keeper);
      expect((await api.get('/v1/admin/clients', { token })).status).toBe(200);

      await api.delete(`/v1/admin/clients/${keeper.id}`, undefined, { token: admin });

      const after = await api.get('/v1/admin/clients', { token });
      expectProblem(after, 401, 'unauthenticated');
      expect(after.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it('cannot give another client permissions it lacks', async () => {
      const keeper = await createClient(api, admin, ['client-keeper']);
      const token = await clientAccessToken(api, keeper);

      const reply = await api.post(
        '/v1/admin/clients',
        { name: 'escalated', roles: ['reporter'] },
        { token },
      );

      expectProblem(reply, 403, 'forbidden');
    });
  });
});
