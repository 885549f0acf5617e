import type { EntityManager } from 'typeorm';
import type { HeldRole } from '../roles/roles.service';

/** What judging a user's permissions needs to know about them. */
export interface SubjectAccess {
  enabled: boolean;
  /** A confirmed TOTP factor: whether the user could pass a second factor at all. */
  mfaEnabled: boolean;
  roles: HeldRole[];
}

/**
 * The user's state and roles in one query over primary-key and unique indexes (users, user_roles,
 * roles, totp_factors), since every permission check pays for it; undefined for no such user.
 */
export async function subjectAccess(
  manager: EntityManager,
  userId: string,
): Promise<SubjectAccess | undefined> {
  const [row]: {
    enabled: boolean;
    mfa_enabled: boolean;
    roles: string[];
    mfa_roles: string[];
  }[] = await manager.query(
    `SELECT u.disabled_at IS NULL AS enabled,
            EXISTS (SELECT 1 FROM totp_factors t WHERE t.user_id = u.id AND t.state = 'active')
              AS mfa_enabled,
            COALESCE(array_agg(r.name) FILTER (WHERE r.name IS NOT NULL), '{}') AS roles,
            COALESCE(array_agg(r.name) FILTER (WHERE r.mfa_required), '{}') AS mfa_roles
     FROM users u
     LEFT JOIN user_roles ur ON ur.user_id = u.id
     LEFT JOIN roles r ON r.id = ur.role_id
     WHERE u.id = $1
     GROUP BY u.id`,
    [userId],
  );
  if (!row) return undefined;
  const needsMfa = new Set(row.mfa_roles);
  return {
    enabled: row.enabled,
    mfaEnabled: row.mfa_enabled,
    roles: row.roles.map((name) => ({ name, mfaRequired: needsMfa.has(name) })),
  };
}
