import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type TotpFactorState = 'pending' | 'active';

/** A user's authenticator app: pending until a first code confirms it. At most one per user. */
@Entity('totp_factors')
export class TotpFactor {
  /** Chosen before the insert: the sealed secret is bound to it. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** SecretBox-sealed base32 secret; the associated data is the factor id. */
  @Column('text')
  secret!: string;

  @Column('text')
  state!: TotpFactorState;

  /** The RFC 6238 step of the last accepted code; only later steps are accepted. */
  @Column('bigint', {
    name: 'last_used_step',
    nullable: true,
    transformer: {
      to: (value: number | null | undefined) => value,
      from: (value: string | null) => (value === null ? null : Number(value)),
    },
  })
  lastUsedStep!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'activated_at', nullable: true })
  activatedAt!: Date | null;
}
