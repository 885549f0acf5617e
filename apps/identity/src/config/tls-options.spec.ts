import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { postgresConnection, redisTls } from './tls-options';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const DB = 'postgres://tessera:s3cret-pw@db.internal:5432/tessera';

let dir: string;
let caFile: string;
const missing = () => join(dir, 'no-such-ca.pem');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-tls-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, PEM);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error `build()` throws; fails the test when it throws none. */
function errorOf(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    return error as Error;
  }
  throw new Error('no error was thrown');
}

describe('postgresConnection', () => {
  it('leaves TLS off and the URL as it is when nothing asks for TLS', () => {
    expect(postgresConnection(DB)).toEqual({ url: DB });
    expect(postgresConnection(`${DB}?sslmode=disable`)).toEqual({ url: `${DB}?sslmode=disable` });
  });

  it.each(['require', 'verify-ca', 'verify-full'])(
    'turns TLS on, verifying the certificate, for sslmode=%s',
    (mode) => {
      expect(postgresConnection(`${DB}?sslmode=${mode}`)).toEqual({
        url: DB,
        ssl: { rejectUnauthorized: true },
      });
    },
  );

  it('verifies against the CA of DATABASE_CA_FILE, read from the file', () => {
    const { url, ssl } = postgresConnection(`${DB}?sslmode=verify-full`, caFile);

    expect(ssl).toEqual({ rejectUnauthorized: true, ca: PEM });
    // Left in the URL, sslmode would make node-postgres replace these options with its own.
    expect(url).toBe(DB);
  });

  it('turns TLS on with the CA file alone, without sslmode', () => {
    expect(postgresConnection(DB, caFile).ssl).toEqual({ rejectUnauthorized: true, ca: PEM });
  });

  it('keeps the other parameters of the URL', () => {
    const { url } = postgresConnection(`${DB}?sslmode=require&application_name=tessera`);

    expect(url).toBe(`${DB}?application_name=tessera`);
  });

  it('reads the TLS files that the URL names itself', () => {
    const { ssl } = postgresConnection(`${DB}?sslmode=verify-full&sslrootcert=${caFile}`);

    expect(ssl).toEqual({ rejectUnauthorized: true, ca: PEM });
  });

  it.each([
    ['sslmode=no-verify', 'sslmode'],
    ['sslmode=require&uselibpqcompat=true', 'uselibpqcompat'],
  ])('refuses %s, which would skip certificate checks', (query, word) => {
    const error = errorOf(() => postgresConnection(`${DB}?${query}`));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^DATABASE_URL is invalid/);
    expect(error.message).toContain(word);
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('refuses a CA file with a URL that turns TLS off', () => {
    const error = errorOf(() => postgresConnection(`${DB}?sslmode=disable`, caFile));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^DATABASE_CA_FILE/);
  });
});

describe('redisTls', () => {
  it('is off for a redis:// URL', () => {
    expect(redisTls('redis://cache.internal:6379')).toBeUndefined();
  });

  it('verifies the server of a rediss:// URL, against REDIS_CA_FILE when set', () => {
    expect(redisTls('rediss://cache.internal:6380')).toEqual({ rejectUnauthorized: true });
    expect(redisTls('rediss://cache.internal:6380', caFile)).toEqual({
      rejectUnauthorized: true,
      ca: PEM,
    });
  });

  it('refuses a CA file with a redis:// URL instead of ignoring it', () => {
    const error = errorOf(() => redisTls('redis://cache.internal:6379', caFile));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^REDIS_CA_FILE/);
  });
});

describe('CA files at start', () => {
  it('reads the paths of DATABASE_CA_FILE and REDIS_CA_FILE', () => {
    const config = loadConfig({
      DATABASE_URL: `${DB}?sslmode=verify-full`,
      DATABASE_CA_FILE: caFile,
      REDIS_URL: 'rediss://cache.internal:6380',
      REDIS_CA_FILE: caFile,
    });

    expect(config).toMatchObject({ databaseCaFile: caFile, redisCaFile: caFile });
  });

  it.each([
    ['DATABASE_CA_FILE', { DATABASE_URL: DB }],
    ['REDIS_CA_FILE', { REDIS_URL: 'rediss://cache.internal:6380' }],
  ])('stops the start when %s names no readable file, naming the variable', (name, env) => {
    for (const path of [missing(), dir]) {
      const error = errorOf(() => loadConfig({ ...env, [name]: path }));

      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(new RegExp(`^${name} is invalid`));
      expect(error.message).not.toContain(path);
    }
  });

  it('stops the start when a CA file is set without the URL it is for', () => {
    expect(errorOf(() => loadConfig({ DATABASE_CA_FILE: caFile })).message).toMatch(
      /^DATABASE_CA_FILE is set without DATABASE_URL/,
    );
    expect(errorOf(() => loadConfig({ REDIS_CA_FILE: caFile })).message).toMatch(
      /^REDIS_CA_FILE is set without REDIS_URL/,
    );
  });

  it('stops the start on an sslmode that skips certificate checks', () => {
    const error = errorOf(() => loadConfig({ DATABASE_URL: `${DB}?sslmode=no-verify` }));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain('s3cret-pw');
  });
});
