import type { DataSource } from 'typeorm';
import { PermissionCache, SAFETY_TTL_MS, SHORT_TTL_MS } from './permission-cache';

/** A data source whose one query answers the current `rows`, and counts how often it is asked. */
function fakeDatabase() {
  const db = {
    rows: [{ name: 'viewer', permission: 'dataset:read' }] as {
      name: string;
      permission: string;
    }[],
    reads: 0,
    gate: undefined as Promise<void> | undefined,
    async query() {
      db.reads += 1;
      const rows = db.rows;
      await db.gate;
      return rows;
    },
  };
  return db;
}

describe('the permission cache', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  function setUp() {
    const db = fakeDatabase();
    return { db, cache: new PermissionCache(db as unknown as DataSource) };
  }

  it('answers from memory within the short TTL and reads again after it', async () => {
    const { db, cache } = setUp();
    await cache.permissionsByRole();
    db.rows = [{ name: 'viewer', permission: 'dataset:write' }];

    now += SHORT_TTL_MS - 1;
    expect((await cache.permissionsByRole()).get('viewer')).toEqual(['dataset:read']);
    now += 1;
    expect((await cache.permissionsByRole()).get('viewer')).toEqual(['dataset:write']);
    expect(db.reads).toBe(2);
  });

  it('reads the database at once after an invalidation', async () => {
    const { db, cache } = setUp();
    await cache.permissionsByRole();
    db.rows = [];

    cache.invalidate();

    expect((await cache.permissionsByRole()).get('viewer')).toBeUndefined();
  });

  it('keeps the map for the safety TTL while changes are announced, the short one otherwise', async () => {
    const { db, cache } = setUp();
    cache.changesAnnounced = true;
    await cache.permissionsByRole();

    now += SAFETY_TTL_MS - 1;
    await cache.permissionsByRole();
    expect(db.reads).toBe(1);
    now += 1;
    await cache.permissionsByRole();
    expect(db.reads).toBe(2);

    cache.changesAnnounced = false;
    now += SHORT_TTL_MS;
    await cache.permissionsByRole();
    expect(db.reads).toBe(3);
  });

  it('starts afresh when the announcement channel comes back, since messages may be lost', async () => {
    const { db, cache } = setUp();
    await cache.permissionsByRole();

    cache.changesAnnounced = true;
    await cache.permissionsByRole();

    expect(db.reads).toBe(2);
  });

  it('does not keep a read that an invalidation overtook', async () => {
    const { db, cache } = setUp();
    let open!: () => void;
    db.gate = new Promise((resolve) => (open = resolve));
    const stale = cache.permissionsByRole();

    cache.invalidate();
    db.rows = [];
    open();
    await stale;
    db.gate = undefined;

    expect((await cache.permissionsByRole()).get('viewer')).toBeUndefined();
    expect(db.reads).toBe(2);
  });

  it('shares one read among checks that arrive together', async () => {
    const { db, cache } = setUp();

    await Promise.all([cache.permissionsByRole(), cache.permissionsByRole()]);

    expect(db.reads).toBe(1);
  });
});
