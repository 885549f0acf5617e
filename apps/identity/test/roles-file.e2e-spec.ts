import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApp, TestApp } from './support/test-app';
import { createTestDatabase, ON_POSTGRES, TestDatabase } from './support/test-database';

const EXAMPLE = resolve(__dirname, '../../../examples/roles.yaml');

/** The roles tables as they stand, ids and timestamps included. */
async function rolesTables(app: TestApp) {
  return app.db.query(
    `SELECT r.id, r.name, r.description, r.mfa_required, r.created_at, r.updated_at,
            ARRAY(SELECT rp.permission FROM role_permissions rp WHERE rp.role_id = r.id
                  ORDER BY rp.permission COLLATE "C") AS permissions
     FROM roles r ORDER BY r.name COLLATE "C"`,
  );
}

async function fileChanges(app: TestApp) {
  return app.db.query(
    `SELECT actor_id, details FROM audit_events
     WHERE type = 'role.changed' AND details->>'source' = 'ROLES_FILE' ORDER BY at`,
  );
}

function fileWith(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'roles-file-e2e-')), name);
  writeFileSync(path, text);
  return path;
}

/** Starts with `env` on `database`, expecting the start to fail; returns its error. */
async function startRefused(env: Record<string, string>, database: TestDatabase): Promise<Error> {
  const started = await startApp(env, database).catch((error: Error) => error);
  if (started instanceof Error) return started;
  await started.stop();
  throw new Error('the start succeeded; it was expected to be refused');
}

/** Runs `use` against an app started with `env` on `database`, then stops it. */
async function withApp<T>(
  env: Record<string, string>,
  database: TestDatabase,
  use: (app: TestApp) => Promise<T>,
) {
  const app = await startApp(env, database);
  try {
    return await use(app);
  } finally {
    await app.stop();
  }
}

describe('ROLES_FILE', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('creates the example roles at start and audits each, with no actor', async () => {
    await withApp({ ROLES_FILE: EXAMPLE }, database, async (app) => {
      const byName = Object.fromEntries((await rolesTables(app)).map((r: any) => [r.name, r]));
      expect(byName['authz-service'].permissions).toEqual(['authz:check']);
      expect(byName.viewer.permissions).toEqual([
        'dataset:read',
        'detector:read',
        'experiment:read',
      ]);
      expect(byName.analyst.permissions).toEqual(
        expect.arrayContaining(['detection:predict', 'detection:explain']),
      );
      expect(byName.data_scientist.permissions).toEqual(
        expect.arrayContaining([
          'detector:create',
          'dataset:create',
          'experiment:*',
          'detection:train',
        ]),
      );
      expect(byName.admin.permissions).toEqual(['*']);

      const changes = await fileChanges(app);
      expect(changes).toHaveLength(4);
      expect(changes[0]).toEqual({
        actor_id: null,
        details: expect.objectContaining({ source: 'ROLES_FILE', action: 'created' }),
      });
    });
  });

  it('leaves the tables as they were, and audits nothing, when applied again', async () => {
    const first = await withApp({ ROLES_FILE: EXAMPLE }, database, async (app) => ({
      tables: await rolesTables(app),
      audited: (await fileChanges(app)).length,
    }));

    await withApp({ ROLES_FILE: EXAMPLE }, database, async (app) => {
      expect(await rolesTables(app)).toEqual(first.tables);
      expect(await fileChanges(app)).toHaveLength(first.audited);
    });
  });

  // PGlite is one process that two apps cannot share.
  (ON_POSTGRES ? it : it.skip)('is applied once when two instances start together', async () => {
    const apps = await Promise.all([
      startApp({ ROLES_FILE: EXAMPLE }, database),
      startApp({ ROLES_FILE: EXAMPLE }, database),
    ]);
    try {
      expect(await fileChanges(apps[0])).toHaveLength(4);
      const names = (await rolesTables(apps[1])).map((r: any) => r.name);
      expect(names).toEqual([
        'admin',
        'analyst',
        'authz-service',
        'data_scientist',
        'user',
        'viewer',
      ]);
    } finally {
      await Promise.all(apps.map((app) => app.stop()));
    }
  });

  it('puts a drifted role back exactly and leaves roles it does not list alone', async () => {
    await withApp({ ROLES_FILE: EXAMPLE }, database, async (app) => {
      const [viewer] = await app.db.query(`SELECT id FROM roles WHERE name = 'viewer'`);
      await app.db.query(
        `UPDATE roles SET description = 'edited', mfa_required = true WHERE id = $1`,
        [viewer.id],
      );
      await app.db.query(`DELETE FROM role_permissions WHERE role_id = $1`, [viewer.id]);
      await app.db.query(`INSERT INTO role_permissions VALUES ($1, 'secrets:read')`, [viewer.id]);
      await app.db.query(`INSERT INTO roles (name, description) VALUES ('custom', 'mine')`);
    });

    await withApp({ ROLES_FILE: EXAMPLE }, database, async (app) => {
      const byName = Object.fromEntries((await rolesTables(app)).map((r: any) => [r.name, r]));
      expect(byName.viewer).toMatchObject({
        description: 'Reads detectors, datasets and experiments',
        mfa_required: false,
        permissions: ['dataset:read', 'detector:read', 'experiment:read'],
      });
      expect(byName.custom).toMatchObject({ description: 'mine', permissions: [] });
      const changes = await fileChanges(app);
      expect(changes).toHaveLength(5);
      expect(changes[4].details).toEqual({
        source: 'ROLES_FILE',
        role: 'viewer',
        action: 'updated',
        added: ['dataset:read', 'detector:read', 'experiment:read'],
        removed: ['secrets:read'],
      });
    });
  });

  it('reads JSON as well', async () => {
    const file = fileWith(
      'roles.json',
      JSON.stringify({ roles: [{ name: 'reader', mfaRequired: true, permissions: ['doc:read'] }] }),
    );

    await withApp({ ROLES_FILE: file }, database, async (app) => {
      const [reader] = (await rolesTables(app)).filter((r: any) => r.name === 'reader');
      expect(reader).toMatchObject({
        description: '',
        mfa_required: true,
        permissions: ['doc:read'],
      });
    });
  });

  it.each([
    [
      'a file that redefines admin',
      'roles:\n  - name: admin\n    permissions: [user:read]\n',
      'ROLES_FILE roles[0] (admin): the built-in admin role cannot be redefined',
    ],
    [
      'an invalid entry, naming it',
      'roles:\n  - name: viewer\n    permissions: [a:read]\n  - name: analyst\n    permissions: ["Not Valid hunter2"]\n',
      'ROLES_FILE roles[1] (analyst): permissions[0] must be',
    ],
    ['unparsable YAML', 'roles: [ {name: "hunter2', 'ROLES_FILE is not valid YAML'],
  ])(
    'stops the start on %s, quoting nothing of the file, and writes nothing',
    async (_, text, message) => {
      const error = await startRefused({ ROLES_FILE: fileWith('roles.yaml', text) }, database);

      expect(error.message).toContain(message);
      expect(error.message).not.toContain('hunter2');
      expect(error.stack ?? '').not.toContain('hunter2');
      await withApp({}, database, async (app) => {
        const names = (await rolesTables(app)).map((r: any) => r.name);
        expect(names).toEqual(['admin', 'user']);
      });
    },
  );

  it('stops the start when the file is missing', async () => {
    const error = await startRefused({ ROLES_FILE: '/nonexistent/roles.yaml' }, database);

    expect(error.message).toBe('ROLES_FILE names a file that cannot be read (ENOENT)');
  });
});
