import { Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, DEFAULT_PAGE_SIZE, invalidCursor, Page, pageOf } from '../common/pagination';
import { isUuid } from '../common/uuid';
import { RequirePermissions } from '../roles/require-permissions.decorator';
import { AuditEventsQuery, AuditEventView } from './audit-query';

interface AuditRow {
  id: string;
  at: Date;
  type: string;
  actor_id: string | null;
  subject_id: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: string;
  details: Record<string, unknown>;
  request_id: string | null;
}

/** The audit trail for admins: newest first, filtered, a page at a time. */
@Controller('v1/admin/audit-events')
export class AuditEventsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @RequirePermissions('audit:read')
  async list(@Query() query: AuditEventsQuery): Promise<Page<AuditEventView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, value: unknown) => {
      params.push(value);
      where.push(condition.replace('?', `$${params.length}`));
    };
    if (query.type) add('type = ?', query.type);
    if (query.actor) add('actor_id = ?', query.actor);
    if (query.subject) add('subject_id = ?', query.subject);
    if (query.outcome) add('outcome = ?', query.outcome);
    if (query.since) add('at >= ?::timestamptz', query.since);
    if (query.until) add('at < ?::timestamptz', query.until);
    if (query.cursor) {
      // The cursor names the last event shown; its own (at, id) keeps the order exact to the µs.
      const [id] = decodeCursor(query.cursor, 1);
      if (!isUuid(id)) throw invalidCursor();
      add('(at, id) < (SELECT at, id FROM audit_events WHERE id = ?)', id);
    }
    params.push(limit + 1);
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT id, at, type, actor_id, subject_id, ip, user_agent, outcome, details, request_id
       FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return pageOf(rows, limit, (row) => [row.id], viewOf);
  }
}

function viewOf(row: AuditRow): AuditEventView {
  return {
    id: row.id,
    at: row.at,
    type: row.type,
    actorId: row.actor_id,
    subjectId: row.subject_id,
    ip: row.ip,
    userAgent: row.user_agent,
    outcome: row.outcome,
    details: row.details,
    requestId: row.request_id,
  };
}
