import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** Serialises pruning across instances; the others skip their turn (pg_try_advisory_xact_lock). */
const PRUNE_LOCK = 0x7e5e0f6;
const PRUNE_INTERVAL_MS = 60_000;
/**
 * Kept beyond the access-token lifetime: a token issued just before its revocation stays valid
 * that long, and followers accept tokens some clock skew past `exp`.
 */
export const RETENTION_MARGIN_SECONDS = 300;

/**
 * Deletes revocations that no valid token can concern any more, and remembers the newest writing
 * transaction it deleted rows of, so that a cursor that may not have seen them answers 410
 * instead of silently missing rows.
 */
@Injectable()
export class RevocationPruner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Revocations');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((err) =>
        this.logger.warn({ err }, 'pruning old revocations failed; it runs again soon'),
      );
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Returns how many rows went, or undefined when another instance holds the lock. */
  async prune(): Promise<number | undefined> {
    const retainSeconds = this.config.accessTokenTtl + RETENTION_MARGIN_SECONDS;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        PRUNE_LOCK,
      ]);
      if (!locked) return undefined;
      const [{ count }]: { count: number }[] = await manager.query(
        `WITH gone AS (
           DELETE FROM revocations WHERE at < now() - make_interval(secs => $1)
           RETURNING xid),
         newest AS (SELECT max(xid) AS xid FROM gone),
         moved AS (
           UPDATE revocations_pruned p SET xid = newest.xid FROM newest WHERE newest.xid > p.xid)
         SELECT count(*)::int AS count FROM gone`,
        [retainSeconds],
      );
      return count;
    });
  }
}
