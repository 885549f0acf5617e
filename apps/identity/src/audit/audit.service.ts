import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlertsService } from '../alerts/alerts.service';
import type { RequestContext } from '../common/request-context';
import { MetricsService } from '../metrics/metrics.service';
import { AuditDetails, AuditEvent } from './audit-event.entity';
import { AuditPrivacy } from './audit-privacy';

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
    private readonly privacy: AuditPrivacy,
  ) {}

  /** Records an event; pass the transaction's manager so the event commits or rolls back with it. */
  async record(record: AuditRecord, context?: RequestContext, manager?: EntityManager) {
    const db = manager ?? this.dataSource.manager;
    const event = {
      id: randomUUID(),
      type: record.type,
      outcome: record.outcome,
      actorId: record.actorId ?? null,
      subjectId: record.subjectId ?? null,
      details: record.details ?? {},
      requestId: context?.requestId ?? null,
    };
    const pii = { ip: context?.ip ?? null, userAgent: context?.userAgent ?? null };
    const owner = this.privacy.ownerOf(event.actorId, event.subjectId);
    await db.insert(AuditEvent, {
      ...event,
      ...(await this.privacy.seal(db, owner, event.id, pii)),
    });
    this.metrics.countAudit(record);
    this.alerts.consider({
      id: event.id,
      type: event.type,
      outcome: event.outcome,
      actorId: event.actorId,
      subjectId: event.subjectId,
      ip: pii.ip,
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

  /**
   * Crypto-shreds the user's audit history, inside the erasing transaction: their audit key goes
   * (deleting the user does too, by cascade), and personal data stored in the clear before keys
   * existed is blanked. The events themselves stay, countable, with their ids.
   */
  async shred(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM audit_keys WHERE user_id = $1`, [userId]);
    await manager.query(
      `UPDATE audit_events SET ip = NULL, user_agent = NULL
       WHERE pii_owner IS NULL AND (ip IS NOT NULL OR user_agent IS NOT NULL)
         AND (actor_id = $1 OR (actor_id IS NULL AND subject_id = $1))`,
      [userId],
    );
  }
}
