// autocannon runs: a warm-up whose figures are thrown away, then the measured run.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

// Generous: a login at cost 12 waits its turn for a hashing thread, seconds under load, and a
// timed-out refresh would be re-sent with a token the server already retired.
const TIMEOUT_SECONDS = 60;
const MAX_DRAIN_MS = 5_000;
const MAX_IDLE_WAIT_MS = 30_000;
const IDLE_SAMPLE_MS = 250;

/** The figures the report uses, from one autocannon result. */
export function summarize(result) {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]),
    ),
  };
}

function runAll(optionsList, url, connections, seconds) {
  return Promise.all(
    optionsList.map((options) =>
      autocannon({ url, connections, timeout: TIMEOUT_SECONDS, ...options, duration: seconds }),
    ),
  );
}

/** CPU time (user + system) a process has used so far, in clock ticks; undefined off Linux. */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  } catch {
    return undefined;
  }
}

/**
 * When autocannon stops it drops its connections, but the server finishes what it had accepted
 * (twenty queued logins are seconds of hashing): wait until the server is idle again, so that
 * leftovers of one run do not eat into the next. Without a pid, wait about one slow answer.
 */
async function drain(results, pid) {
  const started = Date.now();
  let before = pid && cpuTicks(pid);
  if (before === undefined) {
    const slowest = Math.max(0, ...results.map((r) => r.latency.p99 || 0));
    return sleep(Math.min(slowest, MAX_DRAIN_MS));
  }
  while (Date.now() - started < MAX_IDLE_WAIT_MS) {
    await sleep(IDLE_SAMPLE_MS);
    const after = cpuTicks(pid);
    if (after === undefined) return;
    // Clock ticks are 1/100 s on Linux: under 2 ticks in 250 ms is under 8% of one core.
    if (after - before < 2) return;
    before = after;
  }
}

/**
 * `build(phase)` gives the autocannon options of one load, or of several that run at the same
 * time (an array); `phase` is 'warmup' or 'measure', for scenarios whose requests use state up
 * (refresh tokens) and need a fresh supply per run. `pid` is the server's, to wait for it to
 * go idle after each run. Returns one summary per load.
 */
export async function measure({ url, settings, pid }, build) {
  const asList = (options) => (Array.isArray(options) ? options : [options]);
  if (settings.warmup > 0) {
    const loads = asList(await build('warmup'));
    await drain(await runAll(loads, url, settings.connections, settings.warmup), pid);
  }
  const loads = asList(await build('measure'));
  const results = await runAll(loads, url, settings.connections, settings.duration);
  await drain(results, pid);
  return results.map(summarize);
}

/** A `setupRequest` that puts the next body of `bodies` into each request, round-robin. */
export function rotatingBodies(bodies) {
  let next = 0;
  return (request) => {
    request.body = bodies[next++ % bodies.length];
    return request;
  };
}
