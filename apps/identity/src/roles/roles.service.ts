import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Problem } from '../common/problem';
import { groupByRole, PermissionCache } from './permission-cache';
import { holdsPermission } from './permission-match';

export const ADMIN_ROLE = 'admin';
export const DEFAULT_ROLE = 'user';

export interface HeldRole {
  name: string;
  mfaRequired: boolean;
}

/** The roles a session may use, and those it holds but may not use yet (step-up). */
export interface EffectiveRoles {
  granted: string[];
  heldBack: string[];
}

/** Roles as data: who holds which role, and which permissions a role grants. */
@Injectable()
export class RolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: PermissionCache,
  ) {}

  /**
   * A role marked `mfaRequired` counts only in sessions that passed a second factor; the admin
   * role's flag is ADMIN_MFA_REQUIRED's. Held-back roles stay off tokens and permission checks.
   */
  effectiveRoles(held: HeldRole[], amr: string[]): EffectiveRoles {
    const steppedUp = amr.includes('otp');
    const granted: string[] = [];
    const heldBack: string[] = [];
    for (const role of held) {
      const needsMfa = role.name === ADMIN_ROLE ? this.config.adminMfaRequired : role.mfaRequired;
      (needsMfa && !steppedUp ? heldBack : granted).push(role.name);
    }
    return { granted, heldBack };
  }

  async rolesOf(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<HeldRole[]> {
    const rows: { name: string; mfa_required: boolean }[] = await manager.query(
      `SELECT r.name, r.mfa_required FROM user_roles ur JOIN roles r ON r.id = ur.role_id
       WHERE ur.user_id = $1 ORDER BY r.name`,
      [userId],
    );
    return rows.map((row) => ({ name: row.name, mfaRequired: row.mfa_required }));
  }

  /** Gives the user the named role; a no-op when they hold it already. */
  async grant(manager: EntityManager, userId: string, roleName: string): Promise<void> {
    await manager.query(
      `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = $2
       ON CONFLICT DO NOTHING`,
      [userId, roleName],
    );
  }

  /** Makes `roleNames` exactly the roles the user holds, inside the caller's transaction. */
  async replaceUserRoles(manager: EntityManager, userId: string, roleNames: string[]) {
    await manager.query(
      `DELETE FROM user_roles ur USING roles r
       WHERE ur.role_id = r.id AND ur.user_id = $1 AND NOT (r.name = ANY($2::text[]))`,
      [userId, roleNames],
    );
    await manager.query(
      `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = ANY($2::text[])
       ON CONFLICT DO NOTHING`,
      [userId, roleNames],
    );
  }

  /** Makes `roleNames` exactly the roles the client (by row id) holds, inside the caller's transaction. */
  async replaceClientRoles(manager: EntityManager, clientRowId: string, roleNames: string[]) {
    await manager.query(
      `DELETE FROM client_roles cr USING roles r
       WHERE cr.role_id = r.id AND cr.client_id = $1 AND NOT (r.name = ANY($2::text[]))`,
      [clientRowId, roleNames],
    );
    await manager.query(
      `INSERT INTO client_roles (client_id, role_id) SELECT $1, id FROM roles WHERE name = ANY($2::text[])
       ON CONFLICT DO NOTHING`,
      [clientRowId, roleNames],
    );
  }

  async anyoneHolds(roleName: string, manager: EntityManager = this.dataSource.manager) {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = $1 LIMIT 1`,
      [roleName],
    );
    return rows.length > 0;
  }

  /**
   * Nobody grants what they do not hold: throws 403 unless `actorRoles` together grant every
   * permission of every role in `roleNames`, and 400 naming the roles that do not exist. Reads the
   * database, not the cache, since this guards a change.
   */
  async assertMayGrant(
    actorRoles: string[],
    roleNames: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const wanted = await this.permissionsOf(roleNames, manager);
    const unknown = roleNames.filter((name) => !wanted.has(name));
    if (unknown.length > 0) {
      throw Problem.validation(
        [{ field: 'roles', message: `unknown roles: ${unknown.join(', ')}` }],
        'Some roles do not exist.',
      );
    }
    await this.assertMayHold(actorRoles, [...wanted.values()].flat(), manager);
  }

  /** Throws 403 unless `actorRoles` together grant every one of `permissions` (fresh read). */
  async assertMayHold(
    actorRoles: string[],
    permissions: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const held = [...(await this.permissionsOf(actorRoles, manager)).values()].flat();
    const lacking = permissions.filter((permission) => !holdsPermission(held, permission));
    if (lacking.length > 0) {
      throw Problem.forbidden(
        `You cannot grant permissions you do not hold: ${lacking.join(', ')}.`,
      );
    }
  }

  /** Each existing named role with its permissions (an empty list for a role that holds none). */
  async permissionsOf(
    roleNames: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string[]>> {
    const rows: { name: string; permission: string | null }[] = await manager.query(
      `SELECT r.name, rp.permission FROM roles r LEFT JOIN role_permissions rp ON rp.role_id = r.id
       WHERE r.name = ANY($1::text[])`,
      [roleNames],
    );
    return groupByRole(rows);
  }

  /**
   * True when the roles together grant every wanted permission. Reads the permission cache: a
   * change is seen at once on the instance that made it, on others as PermissionCache says.
   */
  async allows(roleNames: string[], wanted: string[]): Promise<boolean> {
    const granted = await this.grantedBy(roleNames);
    return wanted.every((permission) => holdsPermission(granted, permission));
  }

  /** Every permission the roles grant together (from the same cache as {@link allows}). */
  async grantedBy(roleNames: string[]): Promise<string[]> {
    const byRole = await this.cache.permissionsByRole();
    return roleNames.flatMap((name) => byRole.get(name) ?? []);
  }
}
