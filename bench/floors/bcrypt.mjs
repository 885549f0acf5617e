// floor-bcrypt: bcrypt hashes per second on all cores, at the costs the login scenarios use. A
// login verifies one hash, which costs the same as making one; so this bounds logins per second.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startNode } from '../children.mjs';
import { baseEnv, ROOT } from '../tessera.mjs';

const WORKER = fileURLToPath(new URL('./bcrypt-worker.mjs', import.meta.url));

export const floorBcrypt = {
  name: 'floor-bcrypt',
  async run({ settings }) {
    const cores = availableParallelism();
    const costs = [...new Set([settings.bcryptCost, 10])];
    const child = startNode(WORKER, {
      cwd: ROOT,
      name: 'bcrypt-floor',
      env: {
        ...baseEnv(),
        UV_THREADPOOL_SIZE: String(cores),
        LANES: String(cores),
        SECONDS: String(settings.duration),
        WARMUP: String(settings.warmup),
        COSTS: costs.join(','),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const { code } = await child.exited;
    if (code !== 0) throw new Error(`the bcrypt floor failed:\n${child.outputTail()}`);
    const results = JSON.parse(output.trim().split('\n').pop());
    return costs.map((cost) => ({
      name: `floor-bcrypt-${cost}`,
      ...results[cost],
      note: `bcrypt.hash cost ${cost}, ${cores} concurrent loops, UV_THREADPOOL_SIZE=${cores}`,
    }));
  },
};
