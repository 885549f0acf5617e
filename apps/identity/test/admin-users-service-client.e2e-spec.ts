import { uniqueEmail } from './support/accounts';
import { ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { auditOf, USERS } from './support/admin-users';
import { clientAccessToken, createClient } from './support/clients';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

describe('a service client on the admin users API', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let service: { clientId: string; token: string };

  beforeAll(async () => {
    await createRoleInDb(app, 'provisioner', ['user:read', 'user:create']);
    const client = await createClient(api, await adminToken(api), ['provisioner']);
    service = { clientId: client.clientId, token: await clientAccessToken(api, client) };
  });

  it('creates users and is named as the actor in the audit trail', async () => {
    const reply = await api.post(USERS, { email: uniqueEmail('svc') }, { token: service.token });
    expect(reply.status).toBe(201);
    const [event] = await auditOf(app, reply);
    expect(event).toMatchObject({
      type: 'user.created',
      actorId: service.clientId,
      subjectId: reply.body.id,
    });
    const list = await api.get(`${USERS}?email=svc-`, { token: service.token });
    expect(list.body.items.map((user: { id: string }) => user.id)).toContain(reply.body.id);
  });

  it('cannot grant a role beyond its own permissions', async () => {
    const email = uniqueEmail('svc-admin');
    const reply = await api.post(USERS, { email, roles: ['admin'] }, { token: service.token });
    expectProblem(reply, 403, 'forbidden');
  });

  it('cannot use a route whose permission it lacks', async () => {
    const list = await api.get(USERS, { token: service.token });
    const [someone] = list.body.items;
    const reply = await api.patch(
      `${USERS}/${someone.id}`,
      { disabled: true },
      {
        token: service.token,
      },
    );
    expectProblem(reply, 403, 'forbidden');
  });
});
