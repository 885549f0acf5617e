import { AuditReader } from '../../src/audit/audit-reader';
import type { TestApp } from './test-app';

/** The audit events one request (by its x-request-id) left, oldest first. */
export async function auditByRequest(app: TestApp, requestId: string) {
  return app.db.query('SELECT * FROM audit_events WHERE request_id = $1 ORDER BY at', [requestId]);
}

/** The events of one request as the admin API shows them: personal data opened when readable. */
export async function readableAuditByRequest(app: TestApp, requestId: string) {
  const reader = app.app.get(AuditReader);
  return (await reader.read(['e.request_id = $1'], [requestId], 100)).reverse();
}
