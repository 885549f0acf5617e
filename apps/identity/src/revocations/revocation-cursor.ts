import { Problem } from '../common/problem';

/**
 * A cursor is a PostgreSQL snapshot (`xmin:xmax:xip,...`, see pg_current_snapshot): the follower
 * has been given every revocation visible in it. The next answer holds the rows visible now but
 * not in that snapshot. A sequence number would not do: `seq` is taken when a row is written,
 * and a row with a lower one can commit after a higher one has been read.
 */
const VERSION = '1';
const SHAPE = /^1\|(\d{1,20}):(\d{1,20}):((?:\d{1,20},)*\d{1,20})?$/;
const MAX_XID = (1n << 64n) - 1n;

/** The opaque form handed to followers (base64url, so that nobody builds one by hand). */
export function encodeCursor(snapshot: string): string {
  return Buffer.from(`${VERSION}|${snapshot}`).toString('base64url');
}

/** The snapshot inside a cursor; anything this feed could not have given out is a 400 on `since`. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('latin1');
  const match = SHAPE.exec(text);
  if (!match || !wellFormed(BigInt(match[1]), BigInt(match[2]), match[3])) {
    throw Problem.validation([
      { field: 'since', message: 'since is not a cursor this feed gave out' },
    ]);
  }
  return text.slice(VERSION.length + 1);
}

/** What pg_snapshot accepts: xmin <= each running xid < xmax, ascending. */
function wellFormed(xmin: bigint, xmax: bigint, running: string | undefined): boolean {
  if (xmin > xmax || xmax > MAX_XID) return false;
  let previous = xmin - 1n;
  for (const xid of (running ?? '').split(',').filter(Boolean).map(BigInt)) {
    if (xid <= previous || xid >= xmax) return false;
    previous = xid;
  }
  return true;
}
