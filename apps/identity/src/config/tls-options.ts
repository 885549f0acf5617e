import { readFileSync } from 'node:fs';
import { ConfigError } from './env-readers';

/**
 * sslmode values that ask for TLS. node-postgres checks the certificate and the host name for
 * each of them (its reading of require and verify-ca is verify-full's), and so do we.
 */
const TLS_MODES: readonly string[] = ['require', 'verify-ca', 'verify-full'];
const OTHER_MODES: readonly string[] = ['disable', 'allow', 'prefer'];
/** URL parameters that name TLS files; like libpq, any of them asks for TLS. */
const TLS_FILE_PARAMS = ['sslrootcert', 'sslcert', 'sslkey'] as const;
/**
 * Parameters from which node-postgres builds TLS options of its own, which would replace the
 * ones we pass (it reads the URL last): removed from the URL once we build them.
 */
const PG_TLS_PARAMS = ['ssl', 'sslmode', ...TLS_FILE_PARAMS];

/** The TLS options we build (PEM text): the certificate is verified, always. */
export interface TlsSettings {
  rejectUnauthorized: true;
  ca?: string;
  cert?: string;
  key?: string;
}

/** What the data source gets: the URL to connect to and, when TLS is on, the TLS options. */
export interface PostgresConnection {
  url: string;
  ssl?: TlsSettings;
}

function readFile(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${variable} names a file that cannot be read`);
  }
}

/**
 * TLS to PostgreSQL: on when DATABASE_URL asks (sslmode require, verify-ca or verify-full,
 * `ssl=true`, or a TLS file parameter) or DATABASE_CA_FILE is set, and then always verifying the
 * server's certificate, against that CA when given. Off when neither asks: the URL goes to
 * node-postgres as it is. Never turns verification off: `sslmode=no-verify` and
 * `uselibpqcompat` (with which require skips it) are refused.
 */
export function postgresConnection(databaseUrl: string, caFile?: string): PostgresConnection {
  const url = new URL(databaseUrl);
  const params = url.searchParams;
  const mode = params.get('sslmode');
  if (mode !== null && !TLS_MODES.includes(mode) && !OTHER_MODES.includes(mode)) {
    throw new ConfigError(
      'DATABASE_URL is invalid: expected sslmode disable, allow, prefer, require, verify-ca or verify-full',
    );
  }
  if (params.has('uselibpqcompat')) {
    throw new ConfigError('DATABASE_URL is invalid: uselibpqcompat would skip certificate checks');
  }
  if (mode === 'disable') {
    if (caFile) throw new ConfigError('DATABASE_CA_FILE is set but DATABASE_URL turns TLS off');
    return { url: databaseUrl };
  }
  const asked =
    Boolean(caFile) ||
    (mode !== null && TLS_MODES.includes(mode)) ||
    ['true', '1'].includes(params.get('ssl') ?? '') ||
    TLS_FILE_PARAMS.some((name) => params.has(name));
  if (!asked) return { url: databaseUrl };

  const ssl: TlsSettings = { rejectUnauthorized: true };
  const rootCert = params.get('sslrootcert');
  if (caFile) ssl.ca = readFile(caFile, 'DATABASE_CA_FILE');
  else if (rootCert) ssl.ca = readFile(rootCert, 'DATABASE_URL');
  const cert = params.get('sslcert');
  const key = params.get('sslkey');
  if (cert) ssl.cert = readFile(cert, 'DATABASE_URL');
  if (key) ssl.key = readFile(key, 'DATABASE_URL');
  for (const name of PG_TLS_PARAMS) params.delete(name);
  return { url: url.toString(), ssl };
}

/**
 * TLS to Redis: on for a `rediss://` URL, verifying the server's certificate, against
 * REDIS_CA_FILE when set; undefined (plain TCP) for `redis://`, where a CA file is refused
 * rather than silently ignored.
 */
export function redisTls(redisUrl: string, caFile?: string): TlsSettings | undefined {
  if (new URL(redisUrl).protocol !== 'rediss:') {
    if (caFile) throw new ConfigError('REDIS_CA_FILE is set but REDIS_URL is not a rediss:// URL');
    return undefined;
  }
  const tls: TlsSettings = { rejectUnauthorized: true };
  if (caFile) tls.ca = readFile(caFile, 'REDIS_CA_FILE');
  return tls;
}
