import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { roleChanges, ROLES, serviceClientInDb } from './support/authz';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

describe('deleting roles through the admin API', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let admin: string;

  beforeAll(async () => {
    admin = await adminToken(api);
    await createRoleInDb(app, 'queried', []);
  });

  async function roleNames(): Promise<string[]> {
    return (await api.get(ROLES, { token: admin })).body.items.map((role: any) => role.name);
  }

  it('deletes a role nobody holds with 204 and audits it', async () => {
    await createRoleInDb(app, 'unused', ['dataset:read']);

    const reply = await api.delete(`${ROLES}/unused`, undefined, { token: admin });

    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(await roleNames()).not.toContain('unused');
    expect((await roleChanges(app, 'unused')).map((event: any) => event.details)).toEqual([
      { role: 'unused', action: 'deleted', added: [], removed: ['dataset:read'], forced: false },
    ]);
  });

  it('answers 409 role_in_use while a user holds the role, and keeps it', async () => {
    await createRoleInDb(app, 'held', ['dataset:read']);
    await accountWithRoles(app, api, ['held']);

    const reply = await api.delete(`${ROLES}/held`, undefined, { token: admin });

    expectProblem(reply, 409, 'role_in_use');
    expect(await roleNames()).toContain('held');
  });

  it('answers 409 role_in_use while a service client holds the role', async () => {
    await createRoleInDb(app, 'service-held', ['dataset:read']);
    await serviceClientInDb(app, api, ['service-held']);

    const reply = await api.delete(`${ROLES}/service-held`, undefined, { token: admin });

    expectProblem(reply, 409, 'role_in_use');
  });

  it('deletes a held role with ?force=true, taking it from its holders at once', async () => {
    await createRoleInDb(app, 'doomed', ['role:read']);
    const { token } = await accountWithRoles(app, api, ['doomed']);
    expect((await api.get(ROLES, { token })).status).toBe(200);

    const reply = await api.delete(`${ROLES}/doomed?force=true`, undefined, { token: admin });

    expect(reply.status).toBe(204);
    expectProblem(await api.get(ROLES, { token }), 403, 'forbidden');
    expect((await api.get('/v1/me', { token })).body.roles).toEqual(['user']);
    const [event] = await roleChanges(app, 'doomed');
    expect(event.details).toMatchObject({ action: 'deleted', forced: true });
  });

  it.each(['admin', 'user'])(
    'answers 409 role_protected to deleting %s, even by force',
    async (name) => {
      for (const path of [`${ROLES}/${name}`, `${ROLES}/${name}?force=true`]) {
        expectProblem(await api.delete(path, undefined, { token: admin }), 409, 'role_protected');
      }
      expect(await roleNames()).toContain(name);
    },
  );

  it('answers 404 for a role that does not exist', async () => {
    expectProblem(
      await api.delete(`${ROLES}/nobody`, undefined, { token: admin }),
      404,
      'not_found',
    );
  });

  it.each(['force=yes', 'force=true&force=true', 'cascade=true'])(
    'answers 400 to the query %s',
    async (query) => {
      const reply = await api.delete(`${ROLES}/queried?${query}`, undefined, { token: admin });

      expectProblem(reply, 400, 'validation_failed');
      expect(await roleNames()).toContain('queried');
    },
  );

  it('refuses with 403 to delete a role holding a permission the writer lacks', async () => {
    await createRoleInDb(app, 'dataset-admin', ['role:write', 'dataset:*']);
    await createRoleInDb(app, 'powerful', ['detector:delete']);
    const { token } = await accountWithRoles(app, api, ['dataset-admin']);

    expectProblem(await api.delete(`${ROLES}/powerful`, undefined, { token }), 403, 'forbidden');
    expect(await roleNames()).toContain('powerful');
  });
});
