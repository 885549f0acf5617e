import { MemoryCounters } from './memory-counters';

const MINUTE = 60_000;

function countersAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, counters: new MemoryCounters(() => clock.now) };
}

describe('MemoryCounters', () => {
  it('counts the hits of one window with the seconds it has left', async () => {
    const { clock, counters } = countersAt();
    const first = await counters.hit('ip:a', MINUTE);
    clock.now += 15_500;
    const second = await counters.hit('ip:a', MINUTE);

    expect(first).toEqual({ hits: 1, secondsLeft: 60 });
    expect(second).toEqual({ hits: 2, secondsLeft: 45 });
  });

  it('opens a new window once the old one has ended', async () => {
    const { clock, counters } = countersAt();
    for (let i = 0; i < 5; i++) await counters.hit('ip:a', MINUTE);
    clock.now += MINUTE;

    expect(await counters.hit('ip:a', MINUTE)).toEqual({ hits: 1, secondsLeft: 60 });
  });

  it('keeps keys apart', async () => {
    const { counters } = countersAt();
    await counters.hit('ip:a', MINUTE);

    expect(await counters.hit('ip:b', MINUTE)).toEqual({ hits: 1, secondsLeft: 60 });
  });

  it('peeks at a count without adding to it', async () => {
    const { clock, counters } = countersAt();
    await counters.hit('account:a', 15 * MINUTE);
    await counters.hit('account:a', 15 * MINUTE);
    clock.now += MINUTE;

    expect(await counters.peek('account:a')).toEqual({ hits: 2, secondsLeft: 840 });
    expect(await counters.peek('account:a')).toEqual({ hits: 2, secondsLeft: 840 });
    expect(await counters.peek('account:b')).toEqual({ hits: 0, secondsLeft: 0 });
    clock.now += 14 * MINUTE;
    expect(await counters.peek('account:a')).toEqual({ hits: 0, secondsLeft: 0 });
  });

  it('forgets ended windows at the next sweep', async () => {
    const { clock, counters } = countersAt();
    await counters.hit('ip:a', MINUTE);
    await counters.hit('ip:b', 10 * MINUTE);
    clock.now += 2 * MINUTE;
    await counters.hit('ip:c', MINUTE);

    expect(counters.size).toBe(2);
  });
});
