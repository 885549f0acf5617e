import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { RequestContext } from '../common/request-context';
import { isRoleName, permissionChange, permissionSet } from './role-rules';

/** What a role is: the admin API and ROLES_FILE both write roles in these terms. */
export interface RoleDefinition {
  name: string;
  description: string;
  mfaRequired: boolean;
  permissions: string[];
}

export interface StoredRole extends RoleDefinition {
  id: string;
}

/** A role as the admin API shows it. */
export interface RoleView extends RoleDefinition {
  createdAt: Date;
  updatedAt: Date;
}

/** What a write changed; `undefined` from {@link rewriteRole} means nothing did. */
export interface RoleChange {
  added: string[];
  removed: string[];
}

/** The role, its row locked until the transaction ends, with its permissions; or undefined. */
export async function lockRole(
  manager: EntityManager,
  name: string,
): Promise<StoredRole | undefined> {
  // A name no role can have (a NUL byte, say) is simply not found, and never reaches SQL.
  if (!isRoleName(name)) return undefined;
  const [row]: { id: string; description: string; mfa_required: boolean }[] = await manager.query(
    `SELECT id, description, mfa_required FROM roles WHERE name = $1 FOR UPDATE`,
    [name],
  );
  if (!row) return undefined;
  const granted: { permission: string }[] = await manager.query(
    `SELECT permission FROM role_permissions WHERE role_id = $1`,
    [row.id],
  );
  return {
    id: row.id,
    name,
    description: row.description,
    mfaRequired: row.mfa_required,
    permissions: permissionSet(granted.map((grant) => grant.permission)),
  };
}

/** Creates the role; returns false, writing nothing, when the name is taken. */
export async function insertRole(manager: EntityManager, role: RoleDefinition): Promise<boolean> {
  // ON CONFLICT rather than a unique-violation error: two creators racing get a clean 409.
  const [row]: { id: string }[] = await manager.query(
    `INSERT INTO roles (name, description, mfa_required) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO NOTHING RETURNING id`,
    [role.name, role.description, role.mfaRequired],
  );
  if (!row) return false;
  await addPermissions(manager, row.id, role.permissions);
  return true;
}

/** Makes a locked role exactly `next`; returns what changed, or undefined when nothing did. */
export async function rewriteRole(
  manager: EntityManager,
  current: StoredRole,
  next: Omit<RoleDefinition, 'name'>,
): Promise<RoleChange | undefined> {
  const change = permissionChange(current.permissions, next.permissions);
  const fieldsChanged =
    current.description !== next.description || current.mfaRequired !== next.mfaRequired;
  if (!fieldsChanged && change.added.length === 0 && change.removed.length === 0) return undefined;

  await manager.query(
    `UPDATE roles SET description = $2, mfa_required = $3, updated_at = now() WHERE id = $1`,
    [current.id, next.description, next.mfaRequired],
  );
  if (change.removed.length > 0) {
    await manager.query(
      `DELETE FROM role_permissions WHERE role_id = $1 AND permission = ANY($2::text[])`,
      [current.id, change.removed],
    );
  }
  await addPermissions(manager, current.id, change.added);
  return change;
}

async function addPermissions(manager: EntityManager, roleId: string, permissions: string[]) {
  if (permissions.length === 0) return;
  await manager.query(
    `INSERT INTO role_permissions (role_id, permission) SELECT $1, unnest($2::text[])`,
    [roleId, permissions],
  );
}

/** True when a user or a service client holds the role. */
export async function roleInUse(manager: EntityManager, roleId: string): Promise<boolean> {
  const [row]: { used: boolean }[] = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM user_roles WHERE role_id = $1)
         OR EXISTS (SELECT 1 FROM client_roles WHERE role_id = $1) AS used`,
    [roleId],
  );
  return row.used;
}

/** Deletes the role; the grants of it go with it (ON DELETE CASCADE). */
export async function deleteRole(manager: EntityManager, roleId: string): Promise<void> {
  await manager.query(`DELETE FROM roles WHERE id = $1`, [roleId]);
}

/** Every role, or the one named, with its permissions, by name. */
export async function roleViews(manager: EntityManager, name?: string): Promise<RoleView[]> {
  const rows: {
    name: string;
    description: string;
    mfa_required: boolean;
    permissions: string[];
    created_at: Date;
    updated_at: Date;
  }[] = await manager.query(
    `SELECT r.name, r.description, r.mfa_required, r.created_at, r.updated_at,
            COALESCE(array_agg(rp.permission) FILTER (WHERE rp.permission IS NOT NULL), '{}')
              AS permissions
     FROM roles r LEFT JOIN role_permissions rp ON rp.role_id = r.id
     WHERE $1::text IS NULL OR r.name = $1
     GROUP BY r.id
     ORDER BY r.name COLLATE "C"`,
    [name ?? null],
  );
  return rows.map((row) => ({
    name: row.name,
    description: row.description,
    mfaRequired: row.mfa_required,
    permissions: permissionSet(row.permissions),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/** Records `role.changed` in the caller's transaction; `actorId` null for ROLES_FILE. */
export async function recordRoleChange(
  audit: AuditService,
  manager: EntityManager,
  event: {
    actorId: string | null;
    role: string;
    action: 'created' | 'updated' | 'deleted';
    change: RoleChange;
    context?: RequestContext;
    details?: Record<string, string | boolean>;
  },
): Promise<void> {
  await audit.record(
    {
      type: 'role.changed',
      outcome: 'success',
      actorId: event.actorId,
      details: {
        role: event.role,
        action: event.action,
        added: event.change.added,
        removed: event.change.removed,
        ...event.details,
      },
    },
    event.context,
    manager,
  );
}
