import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { createDataSource } from './database/data-source';

/** One JSON line, like the service's own logs, so that a log pipeline reads both alike. */
function log(level: 'info' | 'fatal', msg: string, extra: Record<string, unknown> = {}): void {
  const stream = level === 'fatal' ? process.stderr : process.stdout;
  stream.write(`${JSON.stringify({ level, time: Date.now(), msg, ...extra })}\n`);
}

/**
 * Runs the pending migrations and exits: 0 when the schema is current, 1 otherwise. Deployments
 * that start the service with MIGRATIONS_RUN=false (several instances, one schema) run this once
 * per release instead, for example as a Kubernetes Job.
 */
async function migrate(): Promise<void> {
  try {
    process.loadEnvFile?.('.env');
  } catch {
    // No .env file: the environment alone configures the run.
  }
  // MIGRATIONS_RUN=false is meant for the service's instances; here migrating is the whole job.
  const config = { ...loadConfig(process.env), migrationsRun: false };
  const dataSource = await createDataSource(config);
  try {
    const applied = await dataSource.runMigrations();
    log('info', 'migrations complete', { applied: applied.map((m) => m.name) });
  } finally {
    await dataSource.destroy();
  }
}

migrate().then(
  () => process.exit(0),
  (error: unknown) => {
    // Never the value of a setting: a connection error names the host at most.
    const message =
      error instanceof ConfigError
        ? `configuration error: ${error.message}`
        : `migration failed: ${(error as Error)?.message ?? error}`;
    log('fatal', message);
    process.exit(1);
  },
);
