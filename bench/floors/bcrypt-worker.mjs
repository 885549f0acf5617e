// The bcrypt floor's child process. UV_THREADPOOL_SIZE must be set before libuv starts its
// threadpool, so the parent sets it in this process's environment (as Tessera sizes its own pool
// to the cores). Hashes with `lanes` concurrent loops per cost, prints one JSON line of results.
import { createRequire } from 'node:module';
import { timedLoops } from '../timing.mjs';

const bcrypt = createRequire(import.meta.url)('bcrypt');
const lanes = Number(process.env.LANES);
const seconds = Number(process.env.SECONDS);
const warmup = Number(process.env.WARMUP);
// 44 characters: the length of Tessera's HMAC-SHA256 pre-hash that bcrypt actually receives.
const input = 'bG9uZyBwYXNzd29yZCBwcmVoYXNoZWQgYnkgaG1hYw==';

const results = {};
for (const cost of process.env.COSTS.split(',').map(Number)) {
  if (warmup > 0) await timedLoops(lanes, warmup, () => bcrypt.hash(input, cost));
  results[cost] = await timedLoops(lanes, seconds, () => bcrypt.hash(input, cost));
}
process.stdout.write(`${JSON.stringify(results)}\n`);
