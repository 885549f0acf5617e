import { Controller, Get, Query } from '@nestjs/common';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  invalidCursor,
  Page,
} from '../common/pagination';
import { isUuid } from '../common/uuid';
import { RequirePermissions } from '../roles/require-permissions.decorator';
import { AuditReader } from './audit-reader';
import { AuditEventsQuery, AuditEventView } from './audit-query';

/** The audit trail for admins: newest first, filtered, a page at a time. */
@Controller('v1/admin/audit-events')
export class AuditEventsController {
  constructor(private readonly reader: AuditReader) {}

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
    if (query.type) add('e.type = ?', query.type);
    if (query.actor) add('e.actor_id = ?', query.actor);
    if (query.subject) add('e.subject_id = ?', query.subject);
    if (query.outcome) add('e.outcome = ?', query.outcome);
    if (query.since) add('e.at >= ?::timestamptz', query.since);
    if (query.until) add('e.at < ?::timestamptz', query.until);
    if (query.cursor) {
      // The cursor names the last event shown; its own (at, id) keeps the order exact to the µs.
      const [id] = decodeCursor(query.cursor, 1);
      if (!isUuid(id)) throw invalidCursor();
      add('(e.at, e.id) < (SELECT at, id FROM audit_events WHERE id = ?)', id);
    }
    const events = await this.reader.read(where, params, limit + 1);
    const shown = events.slice(0, limit);
    const last = shown.at(-1);
    return {
      items: shown,
      next_cursor: events.length > limit && last ? encodeCursor([last.id]) : null,
    };
  }
}
