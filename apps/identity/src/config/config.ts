import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Env, ConfigError, readers } from './env-readers';
import { postgresConnection, redisTls } from './tls-options';

export { ConfigError };

export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';
export type PasswordHashKind = 'bcrypt' | 'argon2id';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** Every setting of the service, validated once at start. Only this folder reads the environment. */
export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** CA certificates (PEM) that PostgreSQL's certificate must chain to; turns TLS on. */
  databaseCaFile?: string;
  migrationsRun: boolean;
  redisUrl?: string;
  /** CA certificates (PEM) for a `rediss://` REDIS_URL. */
  redisCaFile?: string;
  /** Put before every Redis key, so that several services (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  issuer: string;
  tokenAudience: string[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  sessionIdleTtl: number;
  signingAlg: SigningAlg;
  /** 32 bytes; absent only until the dev key is generated into DATA_DIR. */
  masterKey?: Buffer;
  passwordHash: PasswordHashKind;
  bcryptCost: number;
  bootstrapAdminEmail?: string;
  bootstrapAdminPassword?: string;
  corsOrigins: string[];
  passwordMinLength: number;
  registration: 'open' | 'closed';
  loginIpLimit: RateLimit;
  loginAccountLimit: RateLimit;
  apiRateLimit: RateLimit;
  rolesFile?: string;
  adminMfaRequired: boolean;
  keyRotationDays: number;
  trustProxy?: boolean | number | string[];
  docsEnabled: boolean;
  metricsPort?: number;
  alertWebhookUrl?: string;
  logLevel: string;
}

const SECRET_VARIABLES = [
  'MASTER_KEY',
  'DATABASE_URL',
  'REDIS_URL',
  'BOOTSTRAP_ADMIN_PASSWORD',
] as const;

/**
 * Reads `NAME`, or the file named by `NAME_FILE` (how Kubernetes and Vault deliver secrets).
 * Setting both is refused so that nobody wonders which one won.
 */
function withSecretFiles(env: Env): Env {
  const out: Env = { ...env };
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name]) throw new ConfigError(`${name} and ${name}_FILE are both set; set one`);
    try {
      out[name] = readFileSync(file, 'utf8').trim();
    } catch {
      throw new ConfigError(`${name}_FILE names a file that cannot be read`);
    }
  }
  return out;
}

/** Validates the environment into an {@link AppConfig}; throws {@link ConfigError} naming the variable. */
export function loadConfig(rawEnv: Env = process.env): AppConfig {
  const env = withSecretFiles(rawEnv);
  const r = readers(env);
  const nodeEnv = r.string('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const port = r.int('PORT', 3000, 0, 65535);

  const config: AppConfig = {
    nodeEnv,
    production,
    port,
    host: r.string('HOST') ?? '0.0.0.0',
    dataDir: resolve(r.string('DATA_DIR') ?? './data'),
    databaseUrl: r.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseCaFile: r.readableFile('DATABASE_CA_FILE'),
    migrationsRun: r.bool('MIGRATIONS_RUN', true),
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    redisCaFile: r.readableFile('REDIS_CA_FILE'),
    redisKeyPrefix: r.string('REDIS_KEY_PREFIX') ?? 'tessera:',
    issuer: (r.url('ISSUER', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(
      /\/+$/,
      '',
    ),
    tokenAudience: r.list('TOKEN_AUDIENCE') ?? ['api'],
    accessTokenTtl: r.int('ACCESS_TOKEN_TTL', 900, 30, 86_400),
    refreshTokenTtl: r.int('REFRESH_TOKEN_TTL', 1_209_600, 60, 31_536_000),
    sessionIdleTtl: r.int('SESSION_IDLE_TTL', 604_800, 60, 31_536_000),
    signingAlg: r.oneOf('SIGNING_ALG', ['RS256', 'ES256', 'EdDSA'] as const, 'RS256'),
    masterKey: r.base64Key('MASTER_KEY', 32),
    passwordHash: r.oneOf('PASSWORD_HASH', ['bcrypt', 'argon2id'] as const, 'bcrypt'),
    bcryptCost: r.int('BCRYPT_COST', 12, 10, 15),
    bootstrapAdminEmail: r.string('BOOTSTRAP_ADMIN_EMAIL'),
    bootstrapAdminPassword: r.string('BOOTSTRAP_ADMIN_PASSWORD'),
    corsOrigins: r.origins('CORS_ORIGINS'),
    passwordMinLength: r.int('PASSWORD_MIN_LENGTH', 15, 8, 128),
    registration: r.oneOf('REGISTRATION', ['open', 'closed'] as const, 'open'),
    loginIpLimit: r.rate('LOGIN_IP_LIMIT', { limit: 20, windowSeconds: 60 }),
    loginAccountLimit: r.rate('LOGIN_ACCOUNT_LIMIT', { limit: 10, windowSeconds: 900 }),
    apiRateLimit: r.rate('API_RATE_LIMIT', { limit: 600, windowSeconds: 60 }),
    rolesFile: r.string('ROLES_FILE'),
    adminMfaRequired: r.bool('ADMIN_MFA_REQUIRED', true),
    keyRotationDays: r.int('KEY_ROTATION_DAYS', 90, 0, 3650),
    trustProxy: r.trustProxy('TRUST_PROXY'),
    docsEnabled: r.bool('DOCS_ENABLED', true),
    metricsPort: r.optionalInt('METRICS_PORT', 1, 65535),
    alertWebhookUrl: r.url('ALERT_WEBHOOK_URL', ['http:', 'https:']),
    logLevel: r.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
  };

  if (Boolean(config.bootstrapAdminEmail) !== Boolean(config.bootstrapAdminPassword)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD go together');
  }
  if (production && !config.masterKey) {
    throw new ConfigError('MASTER_KEY is required when NODE_ENV=production');
  }
  if (production && !config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required when NODE_ENV=production');
  }
  checkTls(config);
  return config;
}

/** Builds the TLS options once now, so that a contradiction or an unreadable file stops the start. */
function checkTls(config: AppConfig): void {
  if (config.databaseCaFile && !config.databaseUrl) {
    throw new ConfigError('DATABASE_CA_FILE is set without DATABASE_URL');
  }
  if (config.redisCaFile && !config.redisUrl) {
    throw new ConfigError('REDIS_CA_FILE is set without REDIS_URL');
  }
  if (config.databaseUrl) postgresConnection(config.databaseUrl, config.databaseCaFile);
  if (config.redisUrl) redisTls(config.redisUrl, config.redisCaFile);
}
