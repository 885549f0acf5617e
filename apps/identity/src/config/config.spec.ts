import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

const KEY = randomBytes(32);
const PRODUCTION = {
  NODE_ENV: 'production',
  MASTER_KEY: KEY.toString('base64'),
  DATABASE_URL: 'postgres://tessera@db.internal:5432/tessera',
};

/** The error `loadConfig(env)` throws; fails the test when it throws none. */
function errorOf(env: Record<string, string>): Error {
  try {
    loadConfig(env);
  } catch (error) {
    return error as Error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('applies the defaults of the contract when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      production: false,
      port: 3000,
      host: '0.0.0.0',
      dataDir: resolve('./data'),
      migrationsRun: true,
      issuer: 'http://localhost:3000',
      tokenAudience: ['api'],
      accessTokenTtl: 900,
      refreshTokenTtl: 1_209_600,
      sessionIdleTtl: 604_800,
      signingAlg: 'RS256',
      passwordHash: 'bcrypt',
      bcryptCost: 12,
      corsOrigins: [],
      passwordMinLength: 15,
      registration: 'open',
      loginIpLimit: { limit: 20, windowSeconds: 60 },
      loginAccountLimit: { limit: 10, windowSeconds: 900 },
      apiRateLimit: { limit: 600, windowSeconds: 60 },
      adminMfaRequired: true,
      keyRotationDays: 90,
      docsEnabled: true,
      logLevel: 'info',
    });
    for (const unset of [
      'databaseUrl',
      'redisUrl',
      'masterKey',
      'bootstrapAdminEmail',
      'bootstrapAdminPassword',
      'rolesFile',
      'trustProxy',
      'metricsPort',
      'alertWebhookUrl',
    ] as const) {
      expect(config[unset]).toBeUndefined();
    }
  });

  it('derives the default issuer from PORT', () => {
    expect(loadConfig({ PORT: '4100' }).issuer).toBe('http://localhost:4100');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['BCRYPT_COST', '9'],
    ['BCRYPT_COST', '16'],
    ['SIGNING_ALG', 'HS256'],
    ['SIGNING_ALG', 'none'],
    ['PASSWORD_MIN_LENGTH', '7'],
    ['LOGIN_IP_LIMIT', 'abc'],
    ['LOGIN_ACCOUNT_LIMIT', '0/30'],
    ['MASTER_KEY', randomBytes(16).toString('base64')],
    ['MASTER_KEY', 'not base64 at all, but 32 chars!'],
    ['DATABASE_URL', 'mysql://root:hunter2-secret@db.internal/tessera'],
    ['REDIS_URL', 'http://cache.internal:6379'],
    ['ISSUER', 'ftp://id.example.com'],
    ['REGISTRATION', 'sometimes'],
    ['DOCS_ENABLED', 'perhaps'],
  ])('refuses %s=%s, naming the variable and not its value', (name, value) => {
    const error = errorOf({ [name]: value });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(name);
    expect(error.message).not.toContain(value);
  });

  it('does not repeat the secret part of a refused DATABASE_URL', () => {
    const error = errorOf({ DATABASE_URL: 'mysql://root:hunter2-secret@db.internal/tessera' });
    expect(error.message).not.toContain('hunter2-secret');
  });

  it('requires MASTER_KEY when NODE_ENV=production', () => {
    const error = errorOf({ ...PRODUCTION, MASTER_KEY: '' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('MASTER_KEY');
  });

  it('requires DATABASE_URL when NODE_ENV=production', () => {
    const error = errorOf({ ...PRODUCTION, DATABASE_URL: '' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('DATABASE_URL');
  });

  it('starts in production when both are set', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.production).toBe(true);
    expect(config.masterKey?.equals(KEY)).toBe(true);
  });

  describe('secrets read from files', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads MASTER_KEY from the file named by MASTER_KEY_FILE', () => {
      const file = join(dir, 'master.key');
      writeFileSync(file, `${KEY.toString('base64')}\n`);
      expect(loadConfig({ MASTER_KEY_FILE: file }).masterKey?.equals(KEY)).toBe(true);
    });

    it('reads DATABASE_URL from the file named by DATABASE_URL_FILE', () => {
      const file = join(dir, 'database-url');
      writeFileSync(file, PRODUCTION.DATABASE_URL);
      expect(loadConfig({ DATABASE_URL_FILE: file }).databaseUrl).toBe(PRODUCTION.DATABASE_URL);
    });

    it('refuses MASTER_KEY and MASTER_KEY_FILE set together', () => {
      const file = join(dir, 'master.key');
      writeFileSync(file, KEY.toString('base64'));
      const error = errorOf({ MASTER_KEY: KEY.toString('base64'), MASTER_KEY_FILE: file });
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('MASTER_KEY_FILE');
      expect(error.message).not.toContain(KEY.toString('base64'));
    });

    it('refuses a MASTER_KEY_FILE that cannot be read, without printing its contents', () => {
      const error = errorOf({ MASTER_KEY_FILE: join(dir, 'missing.key') });
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('MASTER_KEY_FILE');
    });

    it('refuses a short key read from a file, without printing it', () => {
      const file = join(dir, 'short.key');
      const short = randomBytes(16).toString('base64');
      writeFileSync(file, short);
      const error = errorOf({ MASTER_KEY_FILE: file });
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('MASTER_KEY');
      expect(error.message).not.toContain(short);
    });
  });

  it('splits TOKEN_AUDIENCE on commas into several audiences', () => {
    expect(loadConfig({ TOKEN_AUDIENCE: 'a,b' }).tokenAudience).toEqual(['a', 'b']);
    expect(loadConfig({ TOKEN_AUDIENCE: ' a , b ,' }).tokenAudience).toEqual(['a', 'b']);
  });

  it('trims the trailing slash of ISSUER', () => {
    expect(loadConfig({ ISSUER: 'https://id.example.com/' }).issuer).toBe('https://id.example.com');
    expect(loadConfig({ ISSUER: 'https://id.example.com//' }).issuer).toBe(
      'https://id.example.com',
    );
  });

  it('reads TRUST_PROXY as true, a hop count, or a list of addresses and ranges', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1' }).trustProxy).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
    ]);
  });

  it('refuses a TRUST_PROXY that is not an address, naming the variable and not the value', () => {
    const error = errorOf({ TRUST_PROXY: 'proxy.internal,10.0.0.0/99' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('TRUST_PROXY');
    expect(error.message).not.toContain('proxy.internal');
  });
});
