import { DataSource, DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';
import { postgresConnection } from '../config/tls-options';
import { openEmbeddedDatabase } from './embedded-database';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

const STATEMENT_TIMEOUT_MS = 5_000;

/**
 * Builds and initialises the one TypeORM data source: PostgreSQL when DATABASE_URL is set,
 * otherwise PGlite in DATA_DIR through its node-postgres adapter with exactly one connection.
 * Migrations run here unless MIGRATIONS_RUN=false; `synchronize` is never used.
 */
export async function createDataSource(config: AppConfig): Promise<DataSource> {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    installExtensions: false,
    logging: false,
  };

  if (config.databaseUrl) {
    // TLS as DATABASE_URL and DATABASE_CA_FILE ask, with the certificate always verified.
    const { url, ssl } = postgresConnection(config.databaseUrl, config.databaseCaFile);
    const dataSource = new DataSource({
      ...common,
      url,
      ssl,
      poolSize: 10,
      connectTimeoutMS: 5_000,
      extra: {
        statement_timeout: STATEMENT_TIMEOUT_MS,
        idle_in_transaction_session_timeout: 10_000,
      },
    } satisfies DataSourceOptions);
    return initialise(dataSource, config);
  }

  const embedded = await openEmbeddedDatabase(config.dataDir);
  const dataSource = new DataSource({
    ...common,
    poolSize: 1,
    // PGlite is one session: the pool must never close it for idleness or open a second one.
    extra: { ...embedded.pgConfig, max: 1, idleTimeoutMillis: 0 },
  } satisfies DataSourceOptions);
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    try {
      await destroy();
    } finally {
      await embedded.close();
    }
  };
  try {
    return await initialise(dataSource, config);
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

async function initialise(dataSource: DataSource, config: AppConfig): Promise<DataSource> {
  await dataSource.initialize();
  try {
    if (config.migrationsRun) await dataSource.runMigrations();
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
