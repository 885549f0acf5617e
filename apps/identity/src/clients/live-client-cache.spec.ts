import type { DataSource } from 'typeorm';
import { PermissionCache, SHORT_TTL_MS } from '../roles/permission-cache';
import type { ClientsService, LiveClient } from './clients.service';
import { LiveClientCache } from './live-client-cache';

/** A client directory that answers from `known` and counts how often it is asked. */
function fakeClients() {
  const directory = {
    known: new Map<string, LiveClient>([
      ['svc-a', { id: 'row-a', clientId: 'svc-a', roles: ['authz-service'] }],
    ]),
    reads: 0,
    async liveClient(clientId: string) {
      directory.reads += 1;
      return directory.known.get(clientId);
    },
  };
  return directory;
}

describe('the live client cache', () => {
  let now = 5_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  function setUp() {
    const directory = fakeClients();
    const permissions = new PermissionCache({} as DataSource);
    const cache = new LiveClientCache(directory as unknown as ClientsService, permissions);
    return { directory, permissions, cache };
  }

  it('answers a known client from memory until the short TTL runs out', async () => {
    const { directory, cache } = setUp();
    await cache.liveClient('svc-a');
    directory.known.delete('svc-a');

    now += SHORT_TTL_MS - 1;
    expect(await cache.liveClient('svc-a')).toMatchObject({ clientId: 'svc-a' });
    now += 1;
    expect(await cache.liveClient('svc-a')).toBeUndefined();
    expect(directory.reads).toBe(2);
  });

  it('forgets every client when a change of roles is announced', async () => {
    const { directory, permissions, cache } = setUp();
    await cache.liveClient('svc-a');
    directory.known.delete('svc-a');

    permissions.invalidate();

    expect(await cache.liveClient('svc-a')).toBeUndefined();
  });

  it('never remembers an unknown client, so one registered later is seen at once', async () => {
    const { directory, cache } = setUp();
    expect(await cache.liveClient('svc-b')).toBeUndefined();

    directory.known.set('svc-b', { id: 'row-b', clientId: 'svc-b', roles: [] });

    expect(await cache.liveClient('svc-b')).toMatchObject({ clientId: 'svc-b' });
  });

  it('does not keep an answer read before an announcement that arrived during the read', async () => {
    const { directory, permissions, cache } = setUp();
    const read = directory.liveClient;
    directory.liveClient = async (clientId: string) => {
      const client = await read(clientId);
      permissions.invalidate();
      return client;
    };
    await cache.liveClient('svc-a');
    directory.liveClient = read;
    directory.known.delete('svc-a');

    expect(await cache.liveClient('svc-a')).toBeUndefined();
  });
});
