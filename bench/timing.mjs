// Timed loops for what is measured inside a process (kit verification and the floors):
// operations per second, and p50/p99 per operation from a perf_hooks histogram.
import { createHistogram, performance } from 'node:perf_hooks';

const NS_PER_MS = 1e6;

function summary(histogram, ops, elapsedMs) {
  return {
    rps: ops / (elapsedMs / 1000),
    p50: histogram.count ? histogram.percentile(50) / NS_PER_MS : undefined,
    p99: histogram.count ? histogram.percentile(99) / NS_PER_MS : undefined,
    total: ops,
  };
}

/**
 * Runs `lanes` concurrent loops of `operation(lane)` for `seconds`; one lane is one thread of
 * work at a time. Synchronous operations are not awaited, so their loop pays no promise cost.
 */
export async function timedLoops(lanes, seconds, operation) {
  const histogram = createHistogram();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let ops = 0;

  async function lane(index) {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const pending = operation(index);
      if (pending && typeof pending.then === 'function') await pending;
      histogram.record(Math.max(1, Math.round((performance.now() - t0) * NS_PER_MS)));
      ops++;
      // A synchronous loop would never yield: let timers and I/O in now and then.
      if (!pending && ops % 256 === 0) await new Promise(setImmediate);
    }
  }

  await Promise.all(Array.from({ length: lanes }, (_, index) => lane(index)));
  return summary(histogram, ops, performance.now() - started);
}

/** `timedLoops` for BENCH_DURATION, after a BENCH_WARMUP whose figures are dropped (JIT, caches). */
export async function timedWithWarmup(settings, lanes, operation) {
  if (settings.warmup > 0) await timedLoops(lanes, settings.warmup, operation);
  return timedLoops(lanes, settings.duration, operation);
}
