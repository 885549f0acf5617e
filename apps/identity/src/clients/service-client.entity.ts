import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** Another service that authenticates with a client id and secret (client credentials). */
@Entity('clients')
export class ServiceClient {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The public id the service authenticates with; distinct from the row id the admin API uses. */
  @Column('text', { name: 'client_id', unique: true })
  clientId!: string;

  @Column('text')
  name!: string;

  /** SHA-256 of the secret; never selected unless asked for, never shown. */
  @Column('text', { name: 'secret_hash', select: false })
  secretHash!: string;

  @Column('timestamptz', { name: 'secret_rotated_at', nullable: true })
  secretRotatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
