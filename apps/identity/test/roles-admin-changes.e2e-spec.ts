import { decodeJwt } from 'jose';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { roleChanges, ROLES } from './support/authz';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

describe('creating and changing roles through the admin API', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let admin: string;
  /** Holds role:write and every dataset permission, nothing else. */
  let datasetWriter: string;

  beforeAll(async () => {
    admin = await adminToken(api);
    await createRoleInDb(app, 'dataset-admin', ['role:write', 'role:read', 'dataset:*']);
    datasetWriter = (await accountWithRoles(app, api, ['dataset-admin'])).token;
  });

  /** The role as the admin list shows it, or undefined. */
  async function listed(name: string) {
    const roles: any[] = (await api.get(ROLES, { token: admin })).body.items;
    return roles.find((role) => role.name === name);
  }

  it('creates a role, answers 201 with it, lists it and audits who created it', async () => {
    const reply = await api.post(
      ROLES,
      {
        name: 'analyst',
        description: 'Runs detectors',
        permissions: ['detection:predict', 'dataset:read', 'dataset:read'],
        mfaRequired: true,
      },
      { token: admin },
    );

    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      name: 'analyst',
      description: 'Runs detectors',
      mfaRequired: true,
      permissions: ['dataset:read', 'detection:predict'],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await listed('analyst')).toEqual(reply.body);
    expect(await roleChanges(app, 'analyst')).toEqual([
      {
        actor_id: decodeJwt(admin).sub,
        details: {
          role: 'analyst',
          action: 'created',
          added: ['dataset:read', 'detection:predict'],
          removed: [],
        },
      },
    ]);
  });

  it('answers 409 role_exists for a name that is taken, built-in ones included', async () => {
    await api.post(ROLES, { name: 'taken', permissions: [] }, { token: admin });

    for (const name of ['taken', 'admin', 'user']) {
      const reply = await api.post(ROLES, { name, permissions: [] }, { token: admin });
      expectProblem(reply, 409, 'role_exists');
    }
  });

  it.each([
    ['an upper-case name', 'name', { name: 'Analyst', permissions: [] }],
    ['a name starting with a digit', 'name', { name: '9lives', permissions: [] }],
    ['a name of 65 characters', 'name', { name: 'a'.repeat(65), permissions: [] }],
    ['an upper-case permission', 'permissions', { name: 'p', permissions: ['Dataset:read'] }],
    ['a permission without action', 'permissions', { name: 'p', permissions: ['dataset'] }],
    ['a wildcard resource', 'permissions', { name: 'p', permissions: ['*:read'] }],
    ['permissions as a string', 'permissions', { name: 'p', permissions: 'dataset:read' }],
    ['no permissions', 'permissions', { name: 'p' }],
    [
      '101 permissions',
      'permissions',
      { name: 'p', permissions: Array.from({ length: 101 }, (_, i) => `r${i}:x`) },
    ],
    [
      'an ANSI escape in the description',
      'description',
      { name: 'p', permissions: [], description: 'a\u001b[31m' },
    ],
    ['a string for mfaRequired', 'mfaRequired', { name: 'p', permissions: [], mfaRequired: 'yes' }],
    ['an unknown field', 'roles', { name: 'p', permissions: [], roles: ['admin'] }],
  ])('answers 400 validation_failed for %s, naming %s', async (_, field, body) => {
    expectFieldErrors(await api.post(ROLES, body, { token: admin }), field);
  });

  it('accepts 100 permissions on one role', async () => {
    const permissions = Array.from({ length: 100 }, (_, i) => `r${i}:x`);

    const reply = await api.post(ROLES, { name: 'wide', permissions }, { token: admin });

    expect(reply.status).toBe(201);
    expect(reply.body.permissions).toHaveLength(100);
  });

  it('lets a narrower role writer create a role within what it holds', async () => {
    const reply = await api.post(
      ROLES,
      { name: 'dataset-reader', permissions: ['dataset:read'] },
      { token: datasetWriter },
    );

    expect(reply.status).toBe(201);
  });

  it.each([[['detector:create']], [['*']], [['dataset:read', 'role:delete']]])(
    'refuses with 403 a role granting %j, beyond what the creator holds, and creates nothing',
    async (permissions) => {
      const reply = await api.post(
        ROLES,
        { name: 'overreach', permissions },
        { token: datasetWriter },
      );

      expectProblem(reply, 403, 'forbidden');
      expect(await listed('overreach')).toBeUndefined();
      const refusals = await app.db.query(
        `SELECT details FROM audit_events WHERE type = 'authz.denied' AND details->>'role' = $1
         ORDER BY at`,
        ['overreach'],
      );
      expect(refusals.at(-1).details).toEqual({
        role: 'overreach',
        action: 'create',
        reason: 'lacks_permissions',
      });
    },
  );

  it('changes a role and audits the permissions added and removed', async () => {
    await createRoleInDb(app, 'viewer', ['dataset:read', 'detector:read']);
    const before = await listed('viewer');

    const reply = await api.patch(
      `${ROLES}/viewer`,
      { description: 'Reads', permissions: ['dataset:read', 'experiment:read'] },
      { token: admin },
    );

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      name: 'viewer',
      description: 'Reads',
      mfaRequired: false,
      permissions: ['dataset:read', 'experiment:read'],
      createdAt: before.createdAt,
    });
    expect(Date.parse(reply.body.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    expect((await roleChanges(app, 'viewer')).map((event: any) => event.details)).toEqual([
      {
        role: 'viewer',
        action: 'updated',
        added: ['experiment:read'],
        removed: ['detector:read'],
        mfaRequired: false,
      },
    ]);
  });

  it('records nothing for a change that changes nothing', async () => {
    await createRoleInDb(app, 'steady', ['dataset:read']);

    const reply = await api.patch(
      `${ROLES}/steady`,
      { permissions: ['dataset:read'] },
      { token: admin },
    );

    expect(reply.status).toBe(200);
    expect(await roleChanges(app, 'steady')).toEqual([]);
  });

  it('answers 404 for a role that does not exist, whatever its name looks like', async () => {
    for (const name of ['nobody', 'NOBODY', '%00', 'a'.repeat(150)]) {
      const reply = await api.patch(`${ROLES}/${name}`, { description: 'x' }, { token: admin });
      expectProblem(reply, 404, 'not_found');
    }
  });

  it('refuses with 403 to widen a role beyond what the writer holds', async () => {
    await createRoleInDb(app, 'dataset-only', ['dataset:read']);

    const reply = await api.patch(
      `${ROLES}/dataset-only`,
      { permissions: ['dataset:read', 'detector:delete'] },
      { token: datasetWriter },
    );

    expectProblem(reply, 403, 'forbidden');
  });

  it('refuses with 403 to touch a role holding a permission the writer lacks', async () => {
    await createRoleInDb(app, 'mixed', ['dataset:read', 'detector:delete']);

    for (const body of [{ description: 'x' }, { permissions: ['dataset:read'] }]) {
      const reply = await api.patch(`${ROLES}/mixed`, body, { token: datasetWriter });
      expectProblem(reply, 403, 'forbidden');
    }
    expect((await listed('mixed')).permissions).toEqual(['dataset:read', 'detector:delete']);
  });

  it.each([
    ['admin', { permissions: ['user:read'] }],
    ['admin', { permissions: [] }],
    ['admin', { mfaRequired: false }],
    ['user', { permissions: ['dataset:read'] }],
    ['user', { mfaRequired: true }],
  ])('answers 409 role_protected to %s changed by %j', async (name, body) => {
    expectProblem(
      await api.patch(`${ROLES}/${name}`, body, { token: admin }),
      409,
      'role_protected',
    );

    expect((await listed(name)).permissions).toEqual(name === 'admin' ? ['*'] : []);
  });

  it('lets the built-in roles be described anew', async () => {
    const reply = await api.patch(`${ROLES}/admin`, { description: 'Root' }, { token: admin });

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ description: 'Root', permissions: ['*'] });
  });
});
