import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from './test-database';

/** The machine's PostgreSQL programs (Debian keeps them under /usr/lib/postgresql/<major>/bin). */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const major = readdirSync(root).sort().at(-1);
  return major && existsSync(join(root, major, 'bin', 'pg_ctl'))
    ? join(root, major, 'bin')
    : undefined;
}

export const CAN_RUN_SCRATCH_CLUSTER = postgresBin() !== undefined;

/**
 * A PostgreSQL cluster of the test's own, in a temporary folder on its own port, that the test
 * may stop and start under a running app without disturbing the machine's server. PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user. `settings` are added as
 * server settings (`-c name=value`), such as ssl=on.
 */
export function createScratchCluster(port: number, settings: Record<string, string> = {}) {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL programs on this machine');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-scratch-pg-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const run = (program: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, program);
    const fullArgs = asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args;
    execFileSync(command, fullArgs, { stdio: 'ignore', cwd: tmpdir() });
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const extra = Object.entries(settings).map(([name, value]) => ` -c ${name}=${value}`);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off${extra.join('')}`;

  const cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => run('pg_ctl', ['-D', data, '-o', options, '-w', '-l', join(dir, 'log'), 'start']),
    /** Stops at once, as a crash or a failover would: open connections are cut. */
    stop: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    remove: () => {
      try {
        cluster.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
    /** The cluster as a test database for startApp; dropping it removes the cluster. */
    database: (): TestDatabase => ({
      env: { DATABASE_URL: cluster.url },
      drop: async () => cluster.remove(),
    }),
  };
  return cluster;
}
