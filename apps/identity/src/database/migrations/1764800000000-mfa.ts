import { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP factors, recovery codes, and the challenges of the login's second step. */
export class Mfa1764800000000 implements MigrationInterface {
  name = 'Mfa1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE totp_factors (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
        secret text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'active')),
        last_used_step bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz
      )`);

    await db.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE UNIQUE INDEX recovery_codes_user_id_code_hash_key
       ON recovery_codes (user_id, code_hash)`,
    );

    await db.query(`
      CREATE TABLE mfa_challenges (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        failed_attempts integer NOT NULL DEFAULT 0,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX mfa_challenges_user_id_idx ON mfa_challenges (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['mfa_challenges', 'recovery_codes', 'totp_factors']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
