// floor-rotation: refresh-token rotation as bare SQL through `pg`, with Tessera's pool size (10)
// and 10 concurrent chains: the most refreshes per second this PostgreSQL allows, before any
// framework, ORM, audit record or token signing. It runs the same four statements, in the same
// order, as the rotation in apps/identity/src/sessions/sessions.service.ts (`rotate`):
//   1. retire the presented token with one conditional UPDATE ... RETURNING (the race winner),
//   2. lock its session row (SELECT ... FOR UPDATE),
//   3. touch the session (last use),
//   4. insert the successor token.
// Tessera's transaction adds an audit record (two statements) and a read of the user's roles.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { benchDatabaseUrl } from '../database.mjs';
import { timedWithWarmup } from '../timing.mjs';

const LANES = 10;

const newToken = () => createHash('sha256').update(randomBytes(32)).digest('base64url');

// Scratch tables shaped like sessions/refresh_tokens (primary keys, the unique hash, the foreign
// key and its index, which the INSERT pays for in Tessera too).
const SCHEMA = `
  DROP TABLE IF EXISTS bench_refresh;
  DROP TABLE IF EXISTS bench_sessions;
  CREATE TABLE bench_sessions (id uuid PRIMARY KEY, last_used_at timestamptz);
  CREATE TABLE bench_refresh (
    id uuid PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES bench_sessions (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    used_at timestamptz
  );
  CREATE INDEX bench_refresh_session_id_idx ON bench_refresh (session_id);`;

async function rotate(pool, chain) {
  const next = newToken();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const retired = await client.query(
      'UPDATE bench_refresh SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL RETURNING session_id',
      [chain.token],
    );
    if (retired.rowCount !== 1) throw new Error('floor-rotation: a chain lost its token');
    const sessionId = retired.rows[0].session_id;
    await client.query('SELECT id FROM bench_sessions WHERE id = $1 FOR UPDATE', [sessionId]);
    await client.query('UPDATE bench_sessions SET last_used_at = now() WHERE id = $1', [sessionId]);
    await client.query(
      'INSERT INTO bench_refresh (id, session_id, token_hash) VALUES ($1, $2, $3)',
      [randomUUID(), sessionId, next],
    );
    await client.query('COMMIT');
    chain.token = next;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export const floorRotation = {
  name: 'floor-rotation',
  async run({ settings }) {
    if (settings.db !== 'postgres') {
      return [
        {
          name: 'floor-rotation',
          skipped: true,
          note: 'measured on PostgreSQL only (run with --db postgres)',
        },
      ];
    }
    const pool = new pg.Pool({ connectionString: await benchDatabaseUrl(settings), max: LANES });
    try {
      await pool.query(SCHEMA);
      const chains = [];
      for (let lane = 0; lane < LANES; lane++) {
        const chain = { session: randomUUID(), token: newToken() };
        await pool.query('INSERT INTO bench_sessions (id, last_used_at) VALUES ($1, now())', [
          chain.session,
        ]);
        await pool.query(
          'INSERT INTO bench_refresh (id, session_id, token_hash) VALUES ($1, $2, $3)',
          [randomUUID(), chain.session, chain.token],
        );
        chains.push(chain);
      }
      const result = await timedWithWarmup(settings, LANES, (lane) => rotate(pool, chains[lane]));
      return [
        {
          name: 'floor-rotation',
          ...result,
          note: `raw pg, ${LANES} clients, 4 statements + BEGIN/COMMIT`,
        },
      ];
    } finally {
      await pool.end();
    }
  },
};
