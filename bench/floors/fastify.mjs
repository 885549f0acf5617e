// floor-fastify: what Fastify alone serves on this machine with check-subject's load (the same
// connections, warm-up, duration and body), against which check-subject's figure is a ratio.
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startNode, stopChild } from '../children.mjs';
import { measure } from '../load.mjs';
import { baseEnv, freePort, ROOT } from '../tessera.mjs';

const SERVER = fileURLToPath(new URL('./fastify-server.mjs', import.meta.url));
const BODY = JSON.stringify({
  subject: '00000000-0000-4000-8000-000000000000',
  permissions: ['detector:read'],
});

async function untilListening(url, child) {
  for (let tries = 0; tries < 200 && child.exitCode === null; tries++) {
    const status = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(50);
  }
  throw new Error(`the Fastify floor server did not start:\n${child.outputTail()}`);
}

export const floorFastify = {
  name: 'floor-fastify',
  async run({ settings }) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/check`;
    const child = startNode(SERVER, {
      env: { ...baseEnv(), PORT: String(port) },
      cwd: ROOT,
      name: 'fastify-floor',
    });
    try {
      await untilListening(url, child);
      const [result] = await measure({ url, settings, pid: child.pid }, () => ({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not-checked' },
        body: BODY,
      }));
      return [{ name: 'floor-fastify', ...result, note: 'bare Fastify, one JSON route' }];
    } finally {
      await stopChild(child);
    }
  },
};
