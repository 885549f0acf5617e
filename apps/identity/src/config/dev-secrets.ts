import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './config';
import { ConfigError } from './env-readers';

/**
 * Without MASTER_KEY (never in production), uses `DATA_DIR/master.key`, generating it on first
 * start. Returns a warning to log once when the generated key is in use; the key is never logged.
 */
export function resolveDevSecrets(config: AppConfig): string | undefined {
  if (config.masterKey) return undefined;
  const path = join(config.dataDir, 'master.key');
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });

  let created = false;
  if (!existsSync(path)) {
    writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    created = true;
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError(`MASTER_KEY file ${path} does not hold 32 bytes`);
  config.masterKey = key;
  return (
    `MASTER_KEY is not set: using the development key ${created ? 'generated into' : 'in'} ${path}. ` +
    'Set MASTER_KEY (32 bytes, base64) for any real deployment; losing the key loses the signing keys.'
  );
}
