import type { AuditDetails } from '../audit/audit-event.entity';

/** An audit event as the alert rules see it. */
export interface AlertableEvent {
  id: string;
  type: string;
  outcome: string;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  requestId: string | null;
  details: AuditDetails;
}

export type AlertKind =
  'refresh_token_reuse' | 'account_locked' | 'credential_stuffing' | 'admin_role_granted';

const ADMIN_ROLE = 'admin';

function namesAdmin(value: unknown): boolean {
  return Array.isArray(value) && value.includes(ADMIN_ROLE);
}

/**
 * The high-severity kind of an event on its own, if it has one. Credential stuffing needs a
 * count across events and is judged by {@link StuffingDetector}.
 */
export function alertKindOf(event: AlertableEvent): AlertKind | undefined {
  if (event.type === 'token.reuse_detected') return 'refresh_token_reuse';
  // The account limit is recorded once per window, when it first locks the account.
  if (event.type === 'rate_limited' && event.details.limit === 'login_account') {
    return 'account_locked';
  }
  if (event.outcome !== 'success') return undefined;
  // A person or a service given the admin role, at creation or later.
  if (event.type === 'role.changed' && namesAdmin(event.details.added)) return 'admin_role_granted';
  if (
    (event.type === 'user.created' || event.type === 'client.created') &&
    namesAdmin(event.details.roles)
  ) {
    return 'admin_role_granted';
  }
  return undefined;
}
