import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { Problem } from '../common/problem';
import { isUuid } from '../common/uuid';
import { ADMIN_ROLE, RolesService } from '../roles/roles.service';

/** The account an admin route is about to change, read under a row lock. */
export interface LockedUser {
  id: string;
  disabled: boolean;
  roles: string[];
}

/**
 * The rules every change to someone else's account obeys: nobody acts on a user who holds
 * permissions they lack, and the last enabled admin is never removed, disabled or demoted.
 */
@Injectable()
export class AdminSafeguards {
  constructor(private readonly roles: RolesService) {}

  /**
   * Locks the user's row and returns it with its roles; 404 `not_found` for an unknown or
   * malformed id. With `mayRemoveAdmin`, first locks the admin role's row, so that two changes
   * that could each remove an admin run one after the other and the second sees the first.
   */
  async lockTarget(
    manager: EntityManager,
    userId: string,
    mayRemoveAdmin: boolean,
  ): Promise<LockedUser> {
    if (mayRemoveAdmin) {
      await manager.query('SELECT id FROM roles WHERE name = $1 FOR UPDATE', [ADMIN_ROLE]);
    }
    const [row]: { id: string; disabled: boolean }[] = isUuid(userId)
      ? await manager.query(
          'SELECT id, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1 FOR UPDATE',
          [userId],
        )
      : [];
    if (!row) throw Problem.notFound('No user has this id.');

    const roles = await this.roles.rolesOf(row.id, manager);
    return { id: row.id, disabled: row.disabled, roles: roles.map((role) => role.name) };
  }

  /**
   * 403 unless the caller holds every permission the target holds, so that, say, a helpdesk
   * role with `user:update` cannot disable an admin or reset an admin's second factor.
   */
  async assertOutranks(principal: Principal, target: LockedUser, manager: EntityManager) {
    const held = await this.roles.permissionsOf(target.roles, manager);
    try {
      await this.roles.assertMayHold(principal.roles, [...held.values()].flat(), manager);
    } catch (error) {
      if (!(error instanceof Problem) || error.status !== 403) throw error;
      throw Problem.forbidden(
        'This user holds permissions you do not; ask someone who holds them all.',
      );
    }
  }

  /**
   * 409 `last_admin` when the target is an enabled admin and no other enabled admin exists.
   * Call it after {@link lockTarget} with `mayRemoveAdmin`, inside the same transaction.
   */
  async assertNotLastAdmin(manager: EntityManager, target: LockedUser): Promise<void> {
    if (target.disabled || !target.roles.includes(ADMIN_ROLE)) return;

    const [{ others }]: { others: number }[] = await manager.query(
      `SELECT count(*)::int AS others FROM users u
       JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
       WHERE r.name = $1 AND u.disabled_at IS NULL AND u.id <> $2`,
      [ADMIN_ROLE, target.id],
    );
    if (others === 0) {
      throw Problem.conflict(
        'last_admin',
        'This is the last enabled admin; make another user an admin first.',
      );
    }
  }
}
