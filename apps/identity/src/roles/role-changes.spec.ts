import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import type { PermissionCache } from './permission-cache';
import { RoleChanges } from './role-changes';

function fakeCache() {
  return { invalidate: jest.fn(), changesAnnounced: false } as unknown as PermissionCache & {
    invalidate: jest.Mock;
  };
}

const config = (redisUrl?: string) => ({ redisUrl, redisKeyPrefix: 'unit:' }) as AppConfig;

describe('announcing role changes', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('forgets on this instance at once when there is no Redis', async () => {
    const cache = fakeCache();
    const changes = new RoleChanges(cache, config());

    await changes.onModuleInit();
    await changes.announce();

    expect(cache.invalidate).toHaveBeenCalledTimes(1);
    expect(cache.changesAnnounced).toBe(false);
  });

  it('keeps the short TTL, and still forgets locally, while Redis is unreachable', async () => {
    const cache = fakeCache();
    const changes = new RoleChanges(cache, config('redis://127.0.0.1:1'));

    await changes.onModuleInit();
    await changes.announce();
    changes.onApplicationShutdown();

    expect(cache.invalidate).toHaveBeenCalledTimes(1);
    expect(cache.changesAnnounced).toBe(false);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('within 5 s'));
  });
});
