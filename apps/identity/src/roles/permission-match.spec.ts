import { holdsPermission, permissionCovers } from './permission-match';

describe('permission matching', () => {
  it('lets * cover every permission', () => {
    expect(permissionCovers('*', 'detector:create')).toBe(true);
  });

  it('lets resource:* cover every action on that resource and nothing else', () => {
    expect(permissionCovers('dataset:*', 'dataset:read')).toBe(true);
    expect(permissionCovers('dataset:*', 'datasets:read')).toBe(false);
    expect(permissionCovers('dataset:*', 'dataset:')).toBe(false);
    expect(permissionCovers('dataset:*', 'detector:read')).toBe(false);
  });

  it('requires an exact match otherwise', () => {
    expect(permissionCovers('detection:train', 'detection:train')).toBe(true);
    expect(permissionCovers('detection:train', 'detection:predict')).toBe(false);
  });

  it('grants nothing from an empty set', () => {
    expect(holdsPermission([], 'user:read')).toBe(false);
  });
});
