import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import type { RequestContext } from '../common/request-context';
import { MetricsService } from '../metrics/metrics.service';
import { AuditDetails, AuditEvent } from './audit-event.entity';

export type AuditOutcome = 'success' | 'failure';

/** A security event; `details` must never hold a password, token, code, secret or hash. */
export interface AuditRecord {
  type: string;
  outcome: AuditOutcome;
  actorId?: string | null;
  subjectId?: string | null;
  details?: AuditDetails;
}

/** Stores every security event in `audit_events` and logs it as one structured line. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
    private readonly alerts: AlertsService,
  ) {}

  /** Records an event; pass the transaction's manager so the event commits or rolls back with it. */
  async record(record: AuditRecord, context?: RequestContext, manager?: EntityManager) {
    const event = {
      id: randomUUID(),
      type: record.type,
      outcome: record.outcome,
      actorId: record.actorId ?? null,
      subjectId: record.subjectId ?? null,
      details: record.details ?? {},
      ip: context?.ip ?? null,
      userAgent: context?.userAgent ?? null,
      requestId: context?.requestId ?? null,
    };
    await (manager ?? this.dataSource.manager).insert(AuditEvent, event);
    this.metrics.countAudit(record);
    this.alerts.consider({
      id: event.id,
      type: event.type,
      outcome: event.outcome,
      actorId: event.actorId,
      subjectId: event.subjectId,
      ip: event.ip,
      requestId: event.requestId,
      details: event.details,
    });
    this.logger.log({
      audit: {
        id: event.id,
        type: event.type,
        outcome: event.outcome,
        actorId: event.actorId,
        subjectId: event.subjectId,
        details: event.details,
      },
      reqId: context?.requestId,
    });
  }
}
