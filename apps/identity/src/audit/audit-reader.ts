import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditPrivacy } from './audit-privacy';
import type { AuditEventView } from './audit-query';

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
  pii_owner: string | null;
  pii_sealed: string | null;
  sealed_key: string | null;
}

/** Reads audit events back, newest first, opening the personal data that is still readable. */
@Injectable()
export class AuditReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly privacy: AuditPrivacy,
  ) {}

  /**
   * Events matching `where` (SQL over the alias `e`, with `params` as $1...), newest first, at
   * most `limit`. Callers build `where` from fixed fragments only, never from input text.
   */
  async read(where: string[], params: unknown[], limit: number): Promise<AuditEventView[]> {
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT e.id, e.at, e.type, e.actor_id, e.subject_id, e.ip, e.user_agent, e.outcome,
              e.details, e.request_id, e.pii_owner, e.pii_sealed, k.sealed_key
       FROM audit_events e LEFT JOIN audit_keys k ON k.user_id = e.pii_owner
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY e.at DESC, e.id DESC LIMIT $${params.length + 1}`,
      [...params, limit],
    );
    return rows.map((row) => this.viewOf(row));
  }

  private viewOf(row: AuditRow): AuditEventView {
    const pii = this.privacy.open(row, row.pii_owner, row.sealed_key);
    return {
      id: row.id,
      at: row.at,
      type: row.type,
      actorId: row.actor_id,
      subjectId: row.subject_id,
      ip: pii.ip,
      userAgent: pii.userAgent,
      outcome: row.outcome,
      details: row.details,
      requestId: row.request_id,
    };
  }
}
