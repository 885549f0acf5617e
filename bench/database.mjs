// Where each Tessera instance of the bench keeps its data: a fresh PostgreSQL database (or the one
// BENCH_DATABASE_URL names), or a fresh PGlite directory that is removed afterwards.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { trackTempDir } from './children.mjs';

export const BENCH_DATABASE = 'tessera_bench';

/** The URL of `database` on the server `adminUrl` points at. */
function urlOf(adminUrl, database) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The PostgreSQL database a Tessera instance starts on. Without BENCH_DATABASE_URL it is
 * `tessera_bench`, dropped and created again so every instance starts (and migrates) from empty;
 * a database the user named is used as it is, since it may not be ours to drop.
 */
export async function freshPostgres(settings) {
  if (settings.databaseUrl) return settings.databaseUrl;
  await withClient(settings.pgAdminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  });
  return urlOf(settings.pgAdminUrl, BENCH_DATABASE);
}

/**
 * The database the rotation floor uses: BENCH_DATABASE_URL's, or `tessera_bench`, created when a
 * run of floors alone finds it missing (never dropped here: the scenarios may have used it).
 */
export async function benchDatabaseUrl(settings) {
  if (settings.databaseUrl) return settings.databaseUrl;
  await withClient(settings.pgAdminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      BENCH_DATABASE,
    ]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  });
  return urlOf(settings.pgAdminUrl, BENCH_DATABASE);
}

/** A new, empty DATA_DIR for an embedded-database instance; removed at clean-up. */
export function freshPgliteDir() {
  return trackTempDir(mkdtempSync(join(tmpdir(), 'tessera-bench-')));
}

/** "PostgreSQL 15.2 ..." for the report, read from the server itself. */
export async function postgresVersion(url) {
  return withClient(url, async (client) => {
    const { rows } = await client.query('SHOW server_version');
    return `PostgreSQL ${rows[0].server_version}`;
  });
}
