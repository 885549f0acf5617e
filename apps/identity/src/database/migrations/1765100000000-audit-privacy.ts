import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Crypto-shredding of the audit trail: each user gets a key (sealed under MASTER_KEY) that
 * encrypts the personal data of the audit events they caused. The key goes with the user (ON
 * DELETE CASCADE), so an erased user's events stay countable but their addresses and user agents
 * can no longer be read. Events recorded before this migration keep their plaintext columns.
 */
export class AuditPrivacy1765100000000 implements MigrationInterface {
  name = 'AuditPrivacy1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_keys (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        sealed_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`ALTER TABLE audit_events ADD COLUMN pii_owner uuid`);
    await db.query(`ALTER TABLE audit_events ADD COLUMN pii_sealed text`);
    // A user's export reads the events they caused as well as those about them.
    await db.query(`CREATE INDEX audit_events_actor_at_idx ON audit_events (actor_id, at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX audit_events_actor_at_idx`);
    await db.query(`ALTER TABLE audit_events DROP COLUMN pii_sealed`);
    await db.query(`ALTER TABLE audit_events DROP COLUMN pii_owner`);
    await db.query(`DROP TABLE audit_keys`);
  }
}
