import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { IsPlainText } from '../common/plain-text';
import { ADMIN_ROLE, DEFAULT_ROLE } from './roles.service';

/** A role name: lowercase, starts with a letter, at most 64 characters. */
export const ROLE_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

/** `*`, `resource:*` or `resource:action`, each part lowercase letters, digits and `_.-`. */
export const PERMISSION = /^(\*|[a-z0-9_.-]{1,64}:(\*|[a-z0-9_.-]{1,64}))$/;

export const MAX_PERMISSIONS_PER_ROLE = 100;
export const MAX_DESCRIPTION_LENGTH = 500;

/** Built in: they cannot be deleted, and their permissions are fixed (admin always holds `*`). */
export const PROTECTED_ROLES: readonly string[] = [ADMIN_ROLE, DEFAULT_ROLE];

export const ROLE_NAME_RULE = 'a lowercase letter, then up to 63 of a-z, 0-9, _ . -';
export const PERMISSION_RULE = '"*", "resource:*" or "resource:action" (a-z, 0-9, _ . -)';

export function isRoleName(value: unknown): value is string {
  return typeof value === 'string' && ROLE_NAME.test(value);
}

export function isPermission(value: unknown): value is string {
  return typeof value === 'string' && PERMISSION.test(value);
}

/** The same permissions, each once, in a stable order (a role's set, as stored and shown). */
export function permissionSet(permissions: Iterable<string>): string[] {
  return [...new Set(permissions)].sort();
}

/** What turns `before` into `after`: the permissions added and removed, each sorted. */
export function permissionChange(before: string[], after: string[]) {
  const old = new Set(before);
  const wanted = new Set(after);
  return {
    added: permissionSet(after.filter((permission) => !old.has(permission))),
    removed: permissionSet(before.filter((permission) => !wanted.has(permission))),
  };
}

export const IsRoleName = () =>
  applyDecorators(
    IsString(),
    Matches(ROLE_NAME, { message: `$property must be ${ROLE_NAME_RULE}` }),
  );

export const IsRoleDescription = () =>
  applyDecorators(IsString(), MaxLength(MAX_DESCRIPTION_LENGTH), IsPlainText());

/** A role's permission list: at most {@link MAX_PERMISSIONS_PER_ROLE}, each {@link PERMISSION}. */
export const IsPermissionList = (max = MAX_PERMISSIONS_PER_ROLE) =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(max),
    IsString({ each: true }),
    Matches(PERMISSION, { each: true, message: `each of $property must be ${PERMISSION_RULE}` }),
  );
