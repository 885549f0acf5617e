import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Problem } from '../common/problem';

/** One answer of the feed, before its cursor is encoded. */
export interface FeedPage {
  /** The snapshot the answer was read in: the next answer starts from it. */
  snapshot: string;
  sessions: string[];
  subjects: string[];
}

/** Rows written by a transaction that the snapshot `$1` did not see as committed. */
const UNSEEN_BY = (snapshot: string) =>
  `r.xid >= pg_snapshot_xmin(${snapshot}) AND NOT pg_visible_in_snapshot(r.xid, ${snapshot})`;

interface PageRow {
  snapshot: string;
  expired: boolean;
  kind: 'session' | 'subject' | null;
  ref: string | null;
}

/**
 * Reads the `revocations` table that the database triggers fill. Each read is one statement, so
 * it sees one snapshot, on a connection taken for it alone: a follower waiting between reads
 * holds none. A transaction still running elsewhere delays nothing: its rows simply come in a
 * later answer, because they are not visible in the snapshot that answer hands out as cursor.
 */
@Injectable()
export class RevocationFeed {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Where a new follower starts: after everything committed now. */
  async now(): Promise<string> {
    const [row]: { snapshot: string }[] = await this.dataSource.query(
      `SELECT pg_current_snapshot()::text AS snapshot`,
    );
    return row.snapshot;
  }

  /**
   * The revocations committed since `since` was taken. 410 `cursor_expired` when a pruned row may
   * not have been visible in it: the follower missed something and must start afresh.
   */
  async read(since: string): Promise<FeedPage> {
    const rows: PageRow[] = await this.dataSource.query(
      `WITH page AS (
         SELECT r.seq, r.kind, r.ref FROM revocations r WHERE ${UNSEEN_BY('$1::pg_snapshot')})
       SELECT pg_current_snapshot()::text AS snapshot,
              p.xid >= pg_snapshot_xmin($1::pg_snapshot) AS expired,
              page.kind, page.ref
       FROM revocations_pruned p LEFT JOIN page ON true
       ORDER BY page.seq`,
      [since],
    );
    const [first] = rows;
    if (first.expired) throw cursorExpired();
    const refsOf = (kind: string) => [
      ...new Set(rows.filter((row) => row.kind === kind).map((row) => row.ref as string)),
    ];
    return { snapshot: first.snapshot, sessions: refsOf('session'), subjects: refsOf('subject') };
  }

  /** Which of `snapshots` (by index) have committed revocations after them: long polls to wake. */
  async withNews(snapshots: string[]): Promise<Set<number>> {
    const rows: { index: string }[] = await this.dataSource.query(
      `SELECT c.i AS index FROM unnest($1::pg_snapshot[]) WITH ORDINALITY AS c (snap, i)
       WHERE EXISTS (SELECT 1 FROM revocations r WHERE ${UNSEEN_BY('c.snap')})`,
      [snapshots],
    );
    return new Set(rows.map((row) => Number(row.index) - 1));
  }
}

function cursorExpired(): Problem {
  return new Problem(
    410,
    'cursor_expired',
    'Cursor expired',
    'Revocations after this cursor are no longer kept: treat every cached decision as stale and start again without since.',
  );
}
