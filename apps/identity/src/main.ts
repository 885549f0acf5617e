import './threadpool';
import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  try {
    process.loadEnvFile?.('.env');
  } catch {
    // No .env file: the environment alone configures the service.
  }
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  app.get(Logger).log(`Tessera listening on ${config.host}:${config.port}`, 'Main');
}

main().catch((error: unknown) => {
  // The logger may not exist yet; write one line and never the value of a setting.
  const message =
    error instanceof ConfigError
      ? `configuration error: ${error.message}`
      : `failed to start: ${(error as Error)?.message ?? error}`;
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: message })}\n`);
  process.exit(1);
});
