import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisClient } from './redis-client';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('createRedisClient', () => {
  let dir: string;
  let caFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-redis-client-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, PEM);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The options a client was made with; it never connects (lazyConnect). */
  function optionsOf(url: string, ca?: string) {
    const redis = createRedisClient(url, ca);
    redis.disconnect();
    return redis.options;
  }

  it('connects in plain TCP for a redis:// URL', () => {
    expect(optionsOf('redis://127.0.0.1:6379').tls).toBeUndefined();
  });

  it('speaks TLS for a rediss:// URL, verifying against REDIS_CA_FILE', () => {
    expect(optionsOf('rediss://127.0.0.1:6380', caFile).tls).toEqual({
      rejectUnauthorized: true,
      ca: PEM,
    });
  });

  it('fails fast rather than queueing commands while Redis is away', () => {
    expect(optionsOf('redis://127.0.0.1:6379')).toMatchObject({
      lazyConnect: true,
      enableOfflineQueue: false,
      commandTimeout: 1_000,
    });
  });
});
