import { GOOD_PASSWORD, uniqueEmail } from './accounts';
import { auditByRequest } from './audit-queries';
import type { Client, Reply } from './http';
import type { TestApp } from './test-app';

export const USERS = '/v1/admin/users';

/** Creates a user through the admin API and fails the test if that does not work. */
export async function createUser(
  api: Client,
  token: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; email: string; password: string; roles: string[] }> {
  const wanted = { email: uniqueEmail('managed'), password: GOOD_PASSWORD, ...body };
  const reply = await api.post(USERS, wanted, { token });
  if (reply.status !== 201) throw new Error(`create answered ${reply.status}: ${reply.text}`);
  return {
    id: reply.body.id,
    email: reply.body.email,
    password: wanted.password,
    roles: reply.body.roles,
  };
}

/** PUT /v1/admin/users/:id/roles. */
export function putRoles(api: Client, token: string, userId: string, roles: unknown) {
  return api.request('PUT', `${USERS}/${userId}/roles`, { roles }, { token });
}

/** The users row as stored, without the hash itself: only whether there is one. */
export async function storedAccount(app: TestApp, userId: string) {
  const [row] = await app.db.query(
    `SELECT email, display_name, disabled_at, password_hash IS NOT NULL AS has_password
     FROM users WHERE id = $1`,
    [userId],
  );
  return row as
    | {
        email: string;
        display_name: string | null;
        disabled_at: Date | null;
        has_password: boolean;
      }
    | undefined;
}

export interface AuditSummary {
  type: string;
  actorId: string | null;
  subjectId: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

/** The audit events a reply's request left, oldest first. */
export async function auditOf(app: TestApp, reply: Reply): Promise<AuditSummary[]> {
  const rows = await auditByRequest(app, reply.headers.get('x-request-id') as string);
  return rows.map((row: Record<string, any>) => ({
    type: row.type,
    actorId: row.actor_id,
    subjectId: row.subject_id,
    outcome: row.outcome,
    details: row.details,
  }));
}

/** How many of the user's sessions are not revoked. */
export async function openSessions(app: TestApp, userId: string): Promise<number> {
  const [row] = await app.db.query(
    'SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return row.n;
}

/** A refresh with the token, as a client would send it. */
export function refresh(api: Client, refreshToken: string) {
  return api.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
}
