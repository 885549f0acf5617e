import { FallbackCounters } from './fallback-counters';
import { MemoryCounters } from './memory-counters';
import type { WindowCounters } from './window-counters';

const MINUTE = 60_000;

function unreachable(): WindowCounters {
  const refuse = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1'));
  return { hit: jest.fn(refuse), peek: jest.fn(refuse) };
}

function setup(primary: WindowCounters) {
  const clock = { now: 0 };
  const logger = { warn: jest.fn() };
  const memory = new MemoryCounters(() => clock.now);
  return {
    clock,
    logger,
    counters: new FallbackCounters(primary, memory, logger, () => clock.now),
  };
}

describe('FallbackCounters', () => {
  it('counts in the primary counters while they answer', async () => {
    const primary = new MemoryCounters();
    const { counters, logger } = setup(primary);
    await counters.hit('ip:a', MINUTE);

    expect(await primary.peek('ip:a')).toMatchObject({ hits: 1 });
    expect(await counters.peek('ip:a')).toMatchObject({ hits: 1 });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('still counts, in memory, when the primary counters fail', async () => {
    const { counters } = setup(unreachable());
    for (let i = 0; i < 4; i++) await counters.hit('ip:a', MINUTE);

    expect(await counters.peek('ip:a')).toEqual({ hits: 4, secondsLeft: 60 });
  });

  it('keeps counting what it counted in memory once the primary answers again', async () => {
    const primary = new MemoryCounters();
    const fail = jest.fn(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')));
    const flaky: WindowCounters = {
      hit: (key, windowMs) => (fail.mock.calls.length < 3 ? fail() : primary.hit(key, windowMs)),
      peek: (key) => primary.peek(key),
    };
    const { counters, clock } = setup(flaky);
    for (let i = 0; i < 3; i++) await counters.hit('ip:a', MINUTE);

    expect(await counters.hit('ip:a', MINUTE)).toEqual({ hits: 4, secondsLeft: 60 });
    expect(await counters.peek('ip:a')).toEqual({ hits: 4, secondsLeft: 60 });

    clock.now += MINUTE;
    expect(await counters.peek('ip:a')).toMatchObject({ hits: 1 });
  });

  it('warns at most once a minute', async () => {
    const { counters, logger, clock } = setup(unreachable());
    await counters.hit('ip:a', MINUTE);
    await counters.peek('ip:a');
    counters.reportFailure(new Error('connection lost'));
    clock.now += 59_000;
    await counters.hit('ip:a', MINUTE);
    expect(logger.warn).toHaveBeenCalledTimes(1);

    clock.now += 1_000;
    await counters.hit('ip:a', MINUTE);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[0][0]).toContain('ECONNREFUSED');
  });
});
