/**
 * True when `granted` covers `wanted`: `*` covers everything, `resource:*` covers every action
 * on that resource, anything else must be equal.
 */
export function permissionCovers(granted: string, wanted: string): boolean {
  if (granted === '*' || granted === wanted) return true;
  if (!granted.endsWith(':*')) return false;
  const resource = granted.slice(0, -1);
  return wanted.startsWith(resource) && wanted.length > resource.length;
}

export function holdsPermission(granted: Iterable<string>, wanted: string): boolean {
  for (const permission of granted) if (permissionCovers(permission, wanted)) return true;
  return false;
}
