import { MigrationInterface, QueryRunner } from 'typeorm';

/** The incident-response block list of client addresses and ranges. */
export class IpBlocks1765000000000 implements MigrationInterface {
  name = 'IpBlocks1765000000000';

  async up(db: QueryRunner): Promise<void> {
    // `cidr` keeps the range as PostgreSQL's own type, so a malformed one can never be stored.
    await db.query(`
      CREATE TABLE ip_blocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cidr cidr NOT NULL,
        reason text NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      )`);
    await db.query(`CREATE INDEX ip_blocks_expires_at_idx ON ip_blocks (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ip_blocks`);
  }
}
