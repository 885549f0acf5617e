/** A user as administrators see them; never a hash, a secret or a recovery code. */
export interface AdminUserView {
  id: string;
  email: string;
  displayName: string | null;
  roles: string[];
  mfaEnabled: boolean;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One row of {@link USER_COLUMNS}; timestamps come formatted by the database. */
export interface AdminUserRow {
  id: string;
  email: string;
  display_name: string | null;
  disabled: boolean;
  mfa_enabled: boolean;
  created_at: string;
  updated_at: string;
  /** created_at to the microsecond, for cursors: milliseconds would skip or repeat rows. */
  cursor_at: string;
}

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** The select list behind {@link AdminUserRow}, over `users u`. */
export const USER_COLUMNS = `u.id, u.email, u.display_name, u.disabled_at IS NOT NULL AS disabled,
  EXISTS (SELECT 1 FROM totp_factors f WHERE f.user_id = u.id AND f.state = 'active')
    AS mfa_enabled,
  to_char(u.created_at AT TIME ZONE 'UTC', ${ISO_MS}) AS created_at,
  to_char(u.updated_at AT TIME ZONE 'UTC', ${ISO_MS}) AS updated_at,
  to_char(u.created_at AT TIME ZONE 'UTC', ${ISO_US}) AS cursor_at`;

export function toAdminUserView(row: AdminUserRow, roles: string[]): AdminUserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    roles,
    mfaEnabled: row.mfa_enabled,
    disabled: row.disabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
