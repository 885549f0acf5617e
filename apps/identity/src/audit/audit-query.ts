import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { IsPlainText } from '../common/plain-text';

/** The filters of GET /v1/admin/audit-events; every one is matched exactly, never as a pattern. */
export class AuditEventsQuery extends PageQuery {
  /** An event type such as `login.failed`. */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+(\.[a-z_]+)*$/, { message: 'type is an event type such as login.failed' })
  @MaxLength(64)
  type?: string;

  /** Who acted: a user id or a client id. */
  @IsOptional()
  @IsString()
  @IsPlainText()
  @MaxLength(128)
  actor?: string;

  /** Whom the event is about. */
  @IsOptional()
  @IsString()
  @IsPlainText()
  @MaxLength(128)
  subject?: string;

  @IsOptional()
  @IsIn(['success', 'failure'])
  outcome?: string;

  /** Events at or after this instant (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /** Events before this instant (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

/** An audit event as the contract shows it. */
export interface AuditEventView {
  id: string;
  at: Date;
  type: string;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: string;
  details: Record<string, unknown>;
  requestId: string | null;
}
