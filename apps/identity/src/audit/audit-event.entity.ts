import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Only ids, reasons and counts: never a password, token, code, secret or hash. */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('timestamptz', { default: () => 'now()' })
  at!: Date;

  @Column('text')
  type!: string;

  @Column('text', { name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column('text', { name: 'subject_id', nullable: true })
  subjectId!: string | null;

  @Column('text', { nullable: true })
  ip!: string | null;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent!: string | null;

  @Column('text')
  outcome!: string;

  @Column('jsonb', { default: {} })
  details!: AuditDetails;

  @Column('text', { name: 'request_id', nullable: true })
  requestId!: string | null;

  /** The user whose audit key seals `piiSealed`; see AuditPrivacy. */
  @Column('uuid', { name: 'pii_owner', nullable: true })
  piiOwner!: string | null;

  @Column('text', { name: 'pii_sealed', nullable: true })
  piiSealed!: string | null;
}
