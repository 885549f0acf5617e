// Everything the bench starts or creates is registered here, so that a normal end, an error and
// Ctrl-C all leave the machine as it was: child processes stopped, temporary directories removed.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const running = new Set();
const tempDirs = new Set();

/** The last lines a child wrote, kept to explain a failed start; nothing is printed otherwise. */
function tail(lines, chunk) {
  lines.push(...String(chunk).split('\n').filter(Boolean));
  if (lines.length > 40) lines.splice(0, lines.length - 40);
}

/**
 * Starts `node <script>` with exactly `env` (no inherited settings leak into the child). Output
 * is read continuously (a full pipe would stall the child) and kept as a short tail.
 */
export function startNode(script, { env, cwd, name, nodeArgs = [] }) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout.on('data', (chunk) => tail(output, chunk));
  child.stderr.on('data', (chunk) => tail(output, chunk));
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.benchName = name;
  child.outputTail = () => output.join('\n');
  running.add(child);
  child.exited.then(() => running.delete(child));
  return child;
}

/** SIGTERM (Tessera drains its requests), then SIGKILL if it has not gone after `graceMs`. */
export async function stopChild(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export function trackTempDir(dir) {
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Stops every child still running and removes every temporary directory. */
export async function cleanUp() {
  await Promise.all([...running].map((child) => stopChild(child, 5_000)));
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

let interrupted = false;
function stopEverything(why, exitCode) {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write(`\nbench: ${why}; stopping children and removing temp dirs\n`);
  cleanUp().finally(() => process.exit(exitCode));
}

/**
 * Ctrl-C, a kill of the bench itself, or an error thrown where no caller can catch it (inside an
 * autocannon callback): clean up, then exit with the conventional code.
 */
export function cleanUpOnSignals() {
  process.on('SIGINT', () => stopEverything('SIGINT', 130));
  process.on('SIGTERM', () => stopEverything('SIGTERM', 143));
  process.on('uncaughtException', (error) => stopEverything(`failed: ${error.message}`, 1));
  process.on('unhandledRejection', (error) =>
    stopEverything(`failed: ${error?.message ?? error}`, 1),
  );
}
