import 'reflect-metadata';
import { createExampleApp } from './app.factory';
import { readSettings, SettingsError } from './settings';

async function main(): Promise<void> {
  const settings = readSettings();
  const app = await createExampleApp(settings);
  await app.listen({ port: settings.port, host: settings.host });
  process.stdout.write(
    `example-resource: detector registry on http://${settings.host}:${settings.port}, ` +
      `trusting ${settings.issuer}\n`,
  );
}

main().catch((error: unknown) => {
  const message = error instanceof SettingsError ? error.message : (error as Error)?.message;
  process.stderr.write(`example-resource failed to start: ${message}\n`);
  process.exit(1);
});
