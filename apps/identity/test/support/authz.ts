import { randomBytes } from 'node:crypto';
import { sha256Base64url } from '../../src/common/crypto/hashing';
import { clientAccessToken } from './clients';
import type { Client, Reply } from './http';
import type { TestApp } from './test-app';

export const ROLES = '/v1/admin/roles';
export const CHECK = '/v1/authz/check';

/**
 * A service client created straight in the database with `roles`, and its access token from the
 * client-credentials grant; the clients admin API is under test elsewhere.
 */
export async function serviceClientInDb(app: TestApp, api: Client, roles: string[]) {
  const clientId = `svc_${randomBytes(16).toString('base64url')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  await app.db.transaction(async (manager) => {
    const [row] = await manager.query(
      `INSERT INTO clients (client_id, name, secret_hash) VALUES ($1, 'test service', $2)
       RETURNING id`,
      [clientId, sha256Base64url(clientSecret)],
    );
    await manager.query(
      `INSERT INTO client_roles (client_id, role_id) SELECT $1, id FROM roles WHERE name = ANY($2)`,
      [row.id, roles],
    );
  });
  return { clientId, token: await clientAccessToken(api, { clientId, clientSecret }) };
}

/** POST /v1/authz/check as the caller behind `token`. */
export function check(api: Client, token: string, body: Record<string, unknown>): Promise<Reply> {
  return api.post(CHECK, body, { token });
}

/** The `role.changed` audit events about `role`, oldest first. */
export async function roleChanges(app: TestApp, role: string) {
  return app.db.query(
    `SELECT actor_id, details FROM audit_events
     WHERE type = 'role.changed' AND details->>'role' = $1 ORDER BY at`,
    [role],
  );
}
