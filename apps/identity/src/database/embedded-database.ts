import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

/** Thrown when another process already holds the embedded database. */
export class DataDirLockedError extends Error {
  constructor(dataDir: string) {
    super(`DATA_DIR ${dataDir} is in use by another Tessera process; stop it or set DATA_DIR`);
    this.name = 'DataDirLockedError';
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `DATA_DIR/tessera.lock`, because two processes on one PGlite folder corrupt it
 * without an error. A lock left by a process that has died is taken over.
 */
function takeLock(dataDir: string): () => void {
  const path = join(dataDir, 'tessera.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8'));
      if (holder === process.pid || (holder > 0 && processIsAlive(holder))) {
        throw new DataDirLockedError(dataDir);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirLockedError(dataDir);
}

/** Enough for one service's working set; PostgreSQL's default of 128 MB doubles the idle RSS. */
const PGLITE_SETTINGS = { postgresqlconf: ['shared_buffers=16MB'] };

export interface EmbeddedDatabase {
  /** node-postgres settings that route TypeORM's single connection into PGlite. */
  pgConfig: ReturnType<typeof createPgConfig>;
  close(): Promise<void>;
}

/** Opens PGlite in `DATA_DIR/pgdata`, file-backed, behind the lock file. */
export async function openEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const releaseLock = takeLock(dataDir);
  try {
    const pglite = await PGlite.create(join(dataDir, 'pgdata'), PGLITE_SETTINGS);
    let closing: Promise<void> | undefined;
    return {
      pgConfig: createPgConfig(pglite),
      close() {
        closing ??= pglite.close().finally(releaseLock);
        return closing;
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
