import { readFileSync } from 'node:fs';

/** What the example service needs to know: where it listens and how it trusts Tessera. */
export interface ExampleSettings {
  port: number;
  host: string;
  /** Tessera's issuer URL, exactly as its tokens carry it in `iss`. */
  issuer: string;
  /** The `aud` this service accepts: Tessera's `TOKEN_AUDIENCE`. */
  audience: string;
  /** The service's own client, holding `authz:check` (the `authz-service` role). */
  clientId: string;
  clientSecret: string;
  /** How long a permission answer is reused; a grant or a removal shows after at most this. */
  permissionCacheSeconds: number;
}

export class SettingsError extends Error {}

/**
 * Reads the environment: `EXAMPLE_PORT` (3001), `EXAMPLE_HOST` (127.0.0.1), `TESSERA_ISSUER`
 * (http://localhost:3000), `TESSERA_AUDIENCE` (api), `EXAMPLE_CLIENT_ID` and
 * `EXAMPLE_CLIENT_SECRET` (or `EXAMPLE_CLIENT_SECRET_FILE`), `EXAMPLE_PERMISSION_CACHE_SECONDS` (5).
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): ExampleSettings {
  const clientId = env.EXAMPLE_CLIENT_ID;
  const secretFile = env.EXAMPLE_CLIENT_SECRET_FILE;
  const clientSecret = secretFile
    ? readFileSync(secretFile, 'utf8').trim()
    : env.EXAMPLE_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    throw new SettingsError(
      'EXAMPLE_CLIENT_ID and EXAMPLE_CLIENT_SECRET are required: create a client holding the ' +
        'authz-service role at POST /v1/admin/clients, or start everything with `npm run demo`',
    );
  }
  return {
    port: integer(env.EXAMPLE_PORT, 3001, 'EXAMPLE_PORT'),
    host: env.EXAMPLE_HOST ?? '127.0.0.1',
    issuer: env.TESSERA_ISSUER ?? 'http://localhost:3000',
    audience: env.TESSERA_AUDIENCE ?? 'api',
    clientId,
    clientSecret,
    permissionCacheSeconds: integer(
      env.EXAMPLE_PERMISSION_CACHE_SECONDS,
      5,
      'EXAMPLE_PERMISSION_CACHE_SECONDS',
    ),
  };
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new SettingsError(`${name} must be a whole number`);
  }
  return parsed;
}
