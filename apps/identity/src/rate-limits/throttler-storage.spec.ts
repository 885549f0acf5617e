import { MemoryCounters } from './memory-counters';
import { throttlerStorage } from './throttler-storage';

const MINUTE = 60_000;

describe('throttlerStorage', () => {
  it('blocks the hits over the limit until the window ends, which is the Retry-After', async () => {
    const clock = { now: 0 };
    const storage = throttlerStorage(new MemoryCounters(() => clock.now));
    const records = [];
    for (let i = 0; i < 3; i++) records.push(await storage.increment('ip:a', MINUTE, 2, 0, 'x'));
    clock.now += 20_000;
    records.push(await storage.increment('ip:a', MINUTE, 2, 0, 'x'));

    expect(records.map((r) => [r.totalHits, r.isBlocked, r.timeToBlockExpire])).toEqual([
      [1, false, 0],
      [2, false, 0],
      [3, true, 60],
      [4, true, 40],
    ]);
  });

  it('keeps the windows of each throttler apart', async () => {
    const storage = throttlerStorage(new MemoryCounters());
    await storage.increment('ip:a', MINUTE, 1, 0, 'login_ip');

    expect(await storage.increment('ip:a', MINUTE, 1, 0, 'api')).toMatchObject({ totalHits: 1 });
  });
});
