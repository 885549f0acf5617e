import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, roles, sessions, refresh tokens, signing keys and the audit trail. */
export class IdentityCore1764700000000 implements MigrationInterface {
  name = 'IdentityCore1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text,
        password_hash text,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The email is stored normalised (trim, NFKC, lowercase): one person, one account.
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await db.query(`
      CREATE TABLE roles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        description text NOT NULL DEFAULT '',
        mfa_required boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE role_permissions (
        role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
        permission text NOT NULL,
        PRIMARY KEY (role_id, permission)
      )`);
    await db.query(`
      CREATE TABLE user_roles (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role_id uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, role_id)
      )`);
    await db.query(`CREATE INDEX user_roles_role_id_idx ON user_roles (role_id)`);
    await db.query(`
      INSERT INTO roles (name, description, mfa_required) VALUES
        ('admin', 'Holds every permission', true),
        ('user', 'Every account; holds no permission by itself', false)`);
    await db.query(`
      INSERT INTO role_permissions (role_id, permission)
      SELECT id, '*' FROM roles WHERE name = 'admin'`);

    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        amr text[] NOT NULL,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_refreshed_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoke_reason text
      )`);
    await db.query(`CREATE INDEX sessions_user_id_idx ON sessions (user_id)`);
    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      )`);
    await db.query(
      `CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`,
    );
    await db.query(`CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id)`);

    await db.query(`
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_key text NOT NULL,
        state text NOT NULL CHECK (state IN ('next', 'active', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at timestamptz,
        publish_until timestamptz
      )`);
    // At most one key signs at a time, whichever instance rotated it.
    await db.query(
      `CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE state = 'active'`,
    );

    await db.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT now(),
        type text NOT NULL,
        actor_id text,
        subject_id text,
        ip text,
        user_agent text,
        outcome text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        request_id text
      )`);
    await db.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);
    await db.query(`CREATE INDEX audit_events_type_at_idx ON audit_events (type, at)`);
    await db.query(`CREATE INDEX audit_events_subject_at_idx ON audit_events (subject_id, at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'audit_events',
      'signing_keys',
      'refresh_tokens',
      'sessions',
      'user_roles',
      'role_permissions',
      'roles',
      'users',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
