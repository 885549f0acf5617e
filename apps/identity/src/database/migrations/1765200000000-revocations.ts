import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The revocation feed (`GET /v1/revocations`): a row for each session revoked and each user
 * disabled or deleted, written by triggers so that it commits with the change that causes it,
 * whatever code path makes the change. `xid` is the writing transaction: a follower's cursor is
 * a snapshot, and it is next given the rows whose transaction that snapshot did not see
 * committed (`seq` alone would not do: it is taken at write time, not at commit).
 * `revocations_pruned` keeps the newest transaction whose rows were pruned, so that a cursor
 * that may not have seen them is known to have missed rows.
 */
export class Revocations1765200000000 implements MigrationInterface {
  name = 'Revocations1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE revocations (
        seq bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('session', 'subject')),
        ref text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        xid xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await db.query(`CREATE INDEX revocations_xid_idx ON revocations (xid)`);
    await db.query(`CREATE INDEX revocations_at_idx ON revocations (at)`);
    await db.query(`
      CREATE TABLE revocations_pruned (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        xid xid8 NOT NULL
      )`);
    await db.query(`INSERT INTO revocations_pruned (xid) VALUES ('0')`);

    await db.query(`
      CREATE FUNCTION record_session_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO revocations (kind, ref) VALUES ('session', NEW.id::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER sessions_revoked AFTER UPDATE OF revoked_at ON sessions
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
      EXECUTE FUNCTION record_session_revocation()`);

    // A deleted user's sessions go by ON DELETE CASCADE without being revoked: the subject row
    // covers every token of theirs.
    await db.query(`
      CREATE FUNCTION record_subject_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO revocations (kind, ref) VALUES ('subject', OLD.id::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER users_disabled AFTER UPDATE OF disabled_at ON users
      FOR EACH ROW WHEN (OLD.disabled_at IS NULL AND NEW.disabled_at IS NOT NULL)
      EXECUTE FUNCTION record_subject_revocation()`);
    await db.query(`
      CREATE TRIGGER users_deleted AFTER DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION record_subject_revocation()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_deleted ON users`);
    await db.query(`DROP TRIGGER users_disabled ON users`);
    await db.query(`DROP TRIGGER sessions_revoked ON sessions`);
    await db.query(`DROP FUNCTION record_subject_revocation()`);
    await db.query(`DROP FUNCTION record_session_revocation()`);
    await db.query(`DROP TABLE revocations_pruned`);
    await db.query(`DROP TABLE revocations`);
  }
}
