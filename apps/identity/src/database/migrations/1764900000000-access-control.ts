import { MigrationInterface, QueryRunner } from 'typeorm';

/** Service clients and the roles they hold; indexes for the admin lists. */
export class AccessControl1764900000000 implements MigrationInterface {
  name = 'AccessControl1764900000000';

  async up(db: QueryRunner): Promise<void> {
    // `client_id` is the public name a service authenticates with; the secret is kept as SHA-256
    // only, since it is 256 random bits that the service generated itself.
    await db.query(`
      CREATE TABLE clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id text NOT NULL UNIQUE,
        name text NOT NULL,
        secret_hash text NOT NULL,
        secret_rotated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE client_roles (
        client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
        role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (client_id, role_id)
      )`);
    await db.query(`CREATE INDEX client_roles_role_id_idx ON client_roles (role_id)`);
    // Cursor pagination of the audit trail walks (at, id) backwards.
    await db.query(`CREATE INDEX audit_events_at_id_idx ON audit_events (at DESC, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX audit_events_at_id_idx`);
    await db.query(`DROP TABLE client_roles`);
    await db.query(`DROP TABLE clients`);
  }
}
