import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/env-readers';
import { parseRoles, readRolesFile } from './roles-file';

const EXAMPLE = resolve(__dirname, '../../../../examples/roles.yaml');

function refusalOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const yaml = (text: string) => () => parseRoles(text, 'yaml');

function fileWith(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'roles-file-')), name);
  writeFileSync(path, text);
  return path;
}

describe('reading ROLES_FILE', () => {
  it('reads the shipped example: four roles, sorted permissions, defaults filled in', () => {
    const roles = readRolesFile(EXAMPLE);

    expect(roles.map((role) => role.name)).toEqual([
      'viewer',
      'analyst',
      'data_scientist',
      'authz-service',
    ]);
    expect(roles[3]).toEqual({
      name: 'authz-service',
      description: expect.any(String),
      mfaRequired: false,
      permissions: ['authz:check'],
    });
    expect(roles[0].permissions).toEqual(['dataset:read', 'detector:read', 'experiment:read']);
  });

  it('reads JSON by its extension and by its content', () => {
    const text = JSON.stringify({
      roles: [{ name: 'viewer', description: 'Reads', mfaRequired: true, permissions: ['a:read'] }],
    });
    const expected = [
      { name: 'viewer', description: 'Reads', mfaRequired: true, permissions: ['a:read'] },
    ];

    expect(readRolesFile(fileWith('roles.json', text))).toEqual(expected);
    expect(readRolesFile(fileWith('roles', text))).toEqual(expected);
  });

  it('treats an empty list as nothing to apply', () => {
    expect(parseRoles('roles: []', 'yaml')).toEqual([]);
  });

  it('refuses a missing file, naming ROLES_FILE and the reason', () => {
    const error = refusalOf(() => readRolesFile('/nonexistent/roles.yaml'));

    expect(error.message).toBe('ROLES_FILE names a file that cannot be read (ENOENT)');
  });

  it('refuses broken YAML by line and column, without quoting the file', () => {
    const error = refusalOf(yaml('roles:\n  - name: viewer\n   permissions: [secret-ish'));

    expect(error.message).toMatch(/^ROLES_FILE is not valid YAML at line \d+, column \d+/);
    expect(error.message).not.toContain('secret-ish');
  });

  it('refuses broken JSON without quoting the file', () => {
    const error = refusalOf(() => parseRoles('{"roles": [secret-ish}', 'json'));

    expect(error.message).toBe('ROLES_FILE is not valid JSON');
  });

  it.each([
    ['a list at the top', '- name: viewer', 'must hold an object with a "roles" list'],
    ['an unknown top-level key', 'roles: []\nextra: 1', 'has an unknown key "extra"'],
    ['an entry that is not an object', 'roles: [viewer]', 'roles[0]: must be an object'],
    ['a bad name', 'roles: [{name: Viewer, permissions: []}]', 'roles[0]: name must be'],
    [
      'a bad permission, naming the entry and its index',
      'roles:\n  - {name: ok, permissions: []}\n  - {name: analyst, permissions: [a:read, "Bad"]}',
      'roles[1] (analyst): permissions[1] must be',
    ],
    ['missing permissions', 'roles: [{name: viewer}]', 'roles[0] (viewer): permissions must be'],
    [
      'an unknown key in an entry',
      'roles: [{name: viewer, permissions: [], roles: [admin]}]',
      'roles[0] (viewer): unknown key "roles"',
    ],
    [
      'a non-boolean mfaRequired',
      'roles: [{name: viewer, mfaRequired: yes, permissions: []}]',
      'roles[0] (viewer): mfaRequired must be true or false',
    ],
    [
      'a description with control characters',
      'roles: [{name: viewer, description: "a\\u001b[31m", permissions: []}]',
      'roles[0] (viewer): description must be text',
    ],
    [
      'a role listed twice',
      'roles: [{name: viewer, permissions: []}, {name: viewer, permissions: []}]',
      'roles[1] (viewer): is listed twice',
    ],
    [
      'a redefinition of admin',
      'roles: [{name: admin, permissions: ["*"]}]',
      'roles[0] (admin): the built-in admin role cannot be redefined',
    ],
    ['a duplicated key', 'roles: []\nroles: []', 'is not valid YAML'],
  ])('refuses %s', (_, text, message) => {
    const error = refusalOf(yaml(text));

    expect(error.message).toContain(`ROLES_FILE ${message}`);
  });

  it('refuses more than 100 permissions on one role', () => {
    const permissions = Array.from({ length: 101 }, (_, i) => `p${i}:read`);
    const error = refusalOf(() =>
      parseRoles(JSON.stringify({ roles: [{ name: 'big', permissions }] }), 'json'),
    );

    expect(error.message).toContain('roles[0] (big): permissions must be a list of at most 100');
  });
});
