import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SigningAlg } from '../config/config';

export type SigningKeyState = 'next' | 'active' | 'retired';

/** A signing key pair; the private part is sealed under MASTER_KEY with the kid as associated data. */
@Entity('signing_keys')
export class SigningKey {
  @PrimaryColumn('text')
  kid!: string;

  @Column('text')
  alg!: SigningAlg;

  @Column('jsonb', { name: 'public_jwk' })
  publicJwk!: Record<string, unknown>;

  @Column('text', { name: 'private_key', select: false })
  privateKey!: string;

  @Column('text')
  state!: SigningKeyState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'activated_at', nullable: true })
  activatedAt!: Date | null;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt!: Date | null;

  @Column('timestamptz', { name: 'publish_until', nullable: true })
  publishUntil!: Date | null;
}
