import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { registerAndLogin } from './support/accounts';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { auditByRequest } from './support/audit-queries';
import { createClient, requestClientToken } from './support/clients';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

const CLIENTS = '/v1/admin/clients';

/** Every admin clients route, with a body that would be valid. */
const ROUTES: [string, string, unknown][] = [
  ['GET', CLIENTS, undefined],
  ['POST', CLIENTS, { name: 'billing', roles: [] }],
  ['DELETE', `${CLIENTS}/:id`, undefined],
  ['POST', `${CLIENTS}/:id/secret`, undefined],
];

describe('the admin clients API', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let admin: string;

  beforeAll(async () => {
    admin = await adminToken(api);
    await createRoleInDb(app, 'reporter', ['user:read']);
    await createRoleInDb(app, 'client-keeper', ['client:write']);
  });

  async function storedClient(id: string) {
    const rows = await app.db.query('SELECT * FROM clients WHERE id = $1', [id]);
    return rows[0];
  }

  describe('who may call it', () => {
    it.each(ROUTES)('%s %s answers 401 without a token', async (method, path, body) => {
      const reply = await api.request(method, path.replace(':id', randomUUID()), body);

      expectProblem(reply, 401, 'unauthenticated');
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it.each(ROUTES)('%s %s answers 403 to a user without client:write', async (m, path, body) => {
      const { id } = await createClient(api, admin);
      const { tokens } = await registerAndLogin(api);

      const reply = await api.request(m, path.replace(':id', id), body, {
        token: tokens.access_token,
      });

      expectProblem(reply, 403, 'forbidden');
      expect(await storedClient(id)).toMatchObject({ id });
    });

    it('lets a user whose role holds only client:write manage clients', async () => {
      const { token } = await accountWithRoles(app, api, ['client-keeper']);

      const created = await api.post(CLIENTS, { name: 'mailer', roles: [] }, { token });
      const listed = await api.get(CLIENTS, { token });

      expect(created.status).toBe(201);
      expect(listed.status).toBe(200);
    });
  });

  describe('creating a client', () => {
    it('answers 201 with the secret, which is stored only as its SHA-256', async () => {
      const reply = await api.post(
        CLIENTS,
        { name: 'reporting service', roles: ['reporter'] },
        { token: admin },
      );

      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientId: expect.stringMatching(/^svc_[A-Za-z0-9_-]{22}$/),
        clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        name: 'reporting service',
        roles: ['reporter'],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const secret: string = reply.body.clientSecret;
      const row = await storedClient(reply.body.id);
      expect(row.client_id).toBe(reply.body.clientId);
      expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('base64url'));
      expect(JSON.stringify(row)).not.toContain(secret);
    });

    it('never shows the secret or its hash again', async () => {
      const created = await createClient(api, admin, ['reporter']);
      const row = await storedClient(created.id);

      const listed = await api.get(`${CLIENTS}?limit=200`, { token: admin });

      const shown = listed.body.items.find((item: { id: string }) => item.id === created.id);
      expect(shown).toEqual({
        id: created.id,
        clientId: created.clientId,
        name: created.name,
        roles: ['reporter'],
        createdAt: created.createdAt,
        updatedAt: created.updatedAt,
      });
      expect(listed.text).not.toContain(created.clientSecret);
      expect(listed.text).not.toContain(row.secret_hash);
    });

    it('records client.created with the admin as actor and no secret', async () => {
      const requestId = `client-created-${randomUUID()}`;
      const reply = await api.post(
        CLIENTS,
        { name: 'audited', roles: ['reporter'] },
        { token: admin, headers: { 'x-request-id': requestId } },
      );

      const events = await auditByRequest(app, requestId);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'client.created',
          outcome: 'success',
          actor_id: decodeJwt(admin).sub,
          subject_id: reply.body.clientId,
          details: expect.objectContaining({ name: 'audited', roles: ['reporter'] }),
        }),
      ]);
      expect(JSON.stringify(events)).not.toContain(reply.body.clientSecret);
    });

    it('refuses with 403 a role whose permissions the caller lacks, and stores nothing', async () => {
      const { token } = await accountWithRoles(app, api, ['client-keeper']);
      const name = `escalation-${randomUUID()}`;

      const reply = await api.post(CLIENTS, { name, roles: ['reporter'] }, { token });

      expectProblem(reply, 403, 'forbidden');
      expect(await app.db.query('SELECT 1 FROM clients WHERE name = $1', [name])).toEqual([]);
    });

    it('refuses an unknown role with 400', async () => {
      const reply = await api.post(
        CLIENTS,
        { name: 'ghostly', roles: ['no-such-role'] },
        { token: admin },
      );

      expectFieldErrors(reply, 'roles');
    });

    it.each([
      ['a missing name', { roles: [] }, 'name'],
      ['an empty name', { name: '', roles: [] }, 'name'],
      ['a name with a line break', { name: 'a\nb', roles: [] }, 'name'],
      ['roles that are not a list', { name: 'x', roles: 'admin' }, 'roles'],
      ['an unknown field', { name: 'x', roles: [], clientSecret: 'mine' }, 'clientSecret'],
    ])('refuses %s with 400', async (_, body, field) => {
      const reply = await api.post(CLIENTS, body, { token: admin });

      expectFieldErrors(reply, field);
    });
  });

  describe('listing clients', () => {
    it('walks every client once, page by page, newest first', async () => {
      for (let i = 0; i < 3; i += 1) await createClient(api, admin, [], `paged ${i}`);
      const total: number = (await app.db.query('SELECT count(*)::int AS n FROM clients'))[0].n;

      const seen: { id: string; createdAt: string }[] = [];
      let path = `${CLIENTS}?limit=2`;
      for (;;) {
        const page = await api.get(path, { token: admin });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items);
        if (!page.body.next_cursor) break;
        path = `${CLIENTS}?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`;
      }

      expect(new Set(seen.map((item) => item.id)).size).toBe(total);
      const times = seen.map((item) => item.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
    });

    it.each(['not-a-cursor', Buffer.from('["x","y"]').toString('base64url')])(
      'refuses the cursor %s with 400',
      async (cursor) => {
        const reply = await api.get(`${CLIENTS}?cursor=${cursor}`, { token: admin });

        expectFieldErrors(reply, 'cursor');
      },
    );
  });

  describe('rotating a secret', () => {
    it('answers 200 with a new secret; the old one stops working at once', async () => {
      const created = await createClient(api, admin, ['reporter']);
      const requestId = `client-rotated-${randomUUID()}`;

      const reply = await api.post(`${CLIENTS}/${created.id}/secret`, undefined, {
        token: admin,
        headers: { 'x-request-id': requestId },
      });

      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ id: created.id, clientId: created.clientId });
      expect(reply.body.clientSecret).not.toBe(created.clientSecret);
      const old = await requestClientToken(api, created);
      expect([old.status, old.body.error]).toEqual([401, 'invalid_client']);
      const fresh = await requestClientToken(api, {
        ...created,
        clientSecret: reply.body.clientSecret,
      });
      expect(fresh.status).toBe(200);
      const [event] = await auditByRequest(app, requestId);
      expect(event).toMatchObject({ type: 'client.secret_rotated', subject_id: created.clientId });
      expect(JSON.stringify(event)).not.toContain(reply.body.clientSecret);
    });

    it('refuses with 403 a caller who lacks the permissions the client holds', async () => {
      const created = await createClient(api, admin, ['reporter']);
      const { token } = await accountWithRoles(app, api, ['client-keeper']);

      const reply = await api.post(`${CLIENTS}/${created.id}/secret`, undefined, { token });

      expectProblem(reply, 403, 'forbidden');
      expect((await requestClientToken(api, created)).status).toBe(200);
    });

    it.each([randomUUID(), 'not-a-uuid'])('answers 404 for the unknown id %s', async (id) => {
      const reply = await api.post(`${CLIENTS}/${id}/secret`, undefined, { token: admin });

      expectProblem(reply, 404, 'not_found');
    });
  });

  describe('deleting a client', () => {
    it('answers 204, removes the client and records client.deleted', async () => {
      const created = await createClient(api, admin);
      const requestId = `client-deleted-${randomUUID()}`;

      const reply = await api.delete(`${CLIENTS}/${created.id}`, undefined, {
        token: admin,
        headers: { 'x-request-id': requestId },
      });

      expect(reply.status).toBe(204);
      expect(await storedClient(created.id)).toBeUndefined();
      const denied = await requestClientToken(api, created);
      expect([denied.status, denied.body.error]).toEqual([401, 'invalid_client']);
      expect(await auditByRequest(app, requestId)).toEqual([
        expect.objectContaining({
          type: 'client.deleted',
          actor_id: decodeJwt(admin).sub,
          subject_id: created.clientId,
        }),
      ]);
    });

    it.each([randomUUID(), 'not-a-uuid'])('answers 404 for the unknown id %s', async (id) => {
      const reply = await api.delete(`${CLIENTS}/${id}`, undefined, { token: admin });

      expectProblem(reply, 404, 'not_found');
    });

    it('answers 404 the second time', async () => {
      const created = await createClient(api, admin);
      await api.delete(`${CLIENTS}/${created.id}`, undefined, { token: admin });

      const again = await api.delete(`${CLIENTS}/${created.id}`, undefined, { token: admin });

      expectProblem(again, 404, 'not_found');
    });
  });
});
