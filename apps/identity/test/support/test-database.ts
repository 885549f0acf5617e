import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/config';
import { createDataSource } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';

/**
 * Where the end-to-end suite keeps its data. With E2E_DATABASE_URL (CI sets it to the machine's
 * PostgreSQL) each app gets a fresh database created for it; otherwise a fresh PGlite folder,
 * copied from a migrated template so that each test does not pay PGlite's first start.
 */
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL;
export const ON_POSTGRES = Boolean(E2E_DATABASE_URL);

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  return E2E_DATABASE_URL ? createPostgresDatabase(E2E_DATABASE_URL) : createPgliteFolder();
}

async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `tessera_e2e_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function createPgliteFolder(): Promise<TestDatabase> {
  const template = await pgliteTemplate();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  cpSync(template, dataDir, { recursive: true });
  return {
    env: { DATA_DIR: dataDir },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** A migrated PGlite folder, made once per set of migrations and reused by every test. */
async function pgliteTemplate(): Promise<string> {
  const version = createHash('sha256')
    .update(MIGRATIONS.map((m) => m.name).join(','))
    .digest('hex')
    .slice(0, 12);
  const template = join(tmpdir(), `tessera-pglite-template-${version}`);
  if (existsSync(join(template, 'pgdata'))) return template;

  const building = mkdtempSync(join(tmpdir(), 'tessera-pglite-building-'));
  const dataSource = await createDataSource(loadConfig({ DATA_DIR: building }));
  await dataSource.destroy();
  rmSync(join(building, 'tessera.lock'), { force: true });
  try {
    renameSync(building, template);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}
