import { isPermission, isRoleName, permissionChange, permissionSet } from './role-rules';

describe('role names', () => {
  it.each(['a', 'viewer', 'data_scientist', 'authz-service', 'team.ml-2', 'a'.repeat(64)])(
    'accepts %s',
    (name) => expect(isRoleName(name)).toBe(true),
  );

  it.each([
    '',
    'Admin',
    '1role',
    '_x',
    'has space',
    'a'.repeat(65),
    'ümlaut',
    'role\n',
    'role:x',
    'a*',
  ])('refuses %j', (name) => expect(isRoleName(name)).toBe(false));

  it('refuses what is not a string', () => {
    expect(isRoleName(undefined)).toBe(false);
    expect(isRoleName(['viewer'])).toBe(false);
  });
});

describe('permission syntax', () => {
  it.each(['*', 'dataset:*', 'detection:train', 'authz:check', 'ml.v2:run_1-x', '0:1'])(
    'accepts %s',
    (permission) => expect(isPermission(permission)).toBe(true),
  );

  it.each([
    '',
    'dataset',
    'dataset:',
    ':read',
    '*:read',
    'dataset:read:extra',
    'Dataset:read',
    'dataset:re ad',
    'dataset:**',
    '**',
    'data*:read',
    `${'a'.repeat(65)}:read`,
    'dataset:read\n',
    '__proto__',
  ])('refuses %j', (permission) => expect(isPermission(permission)).toBe(false));
});

describe('permission sets', () => {
  it('keeps each permission once, sorted', () => {
    expect(permissionSet(['b:x', 'a:y', 'b:x'])).toEqual(['a:y', 'b:x']);
  });

  it('says which permissions a change adds and removes', () => {
    expect(permissionChange(['a:read', 'b:read'], ['b:read', 'c:read', 'c:read'])).toEqual({
      added: ['c:read'],
      removed: ['a:read'],
    });
  });
});
