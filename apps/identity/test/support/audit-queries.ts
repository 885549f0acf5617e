import type { TestApp } from './test-app';

/** The audit events one request (by its x-request-id) left, oldest first. */
export async function auditByRequest(app: TestApp, requestId: string) {
  return app.db.query('SELECT * FROM audit_events WHERE request_id = $1 ORDER BY at', [requestId]);
}
