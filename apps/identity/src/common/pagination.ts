import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Problem } from './problem';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?cursor=&limit=` of every admin list; list DTOs extend it with their own filters. */
export class PageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

/** A list answer: `next_cursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** The 400 for a cursor that this list did not give out (or that was tampered with). */
export function invalidCursor(): Problem {
  return Problem.validation([{ field: 'cursor', message: 'cursor is not one this list gave out' }]);
}

/** An opaque cursor holding the sort key of the last row shown (base64url JSON). */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key inside a cursor; anything but `length` strings is a 400, never a query error. */
export function decodeCursor(cursor: string, length: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (
    !Array.isArray(key) ||
    key.length !== length ||
    !key.every((part) => typeof part === 'string' && part.length <= 256)
  ) {
    throw Problem.validation([
      { field: 'cursor', message: 'cursor is not one this list gave out' },
    ]);
  }
  return key as string[];
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says that more follow, and the
 * cursor is the key of the last row shown.
 */
export function pageOf<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => string[],
  view: (row: Row) => Item,
): Page<Item> {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(view),
    next_cursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}
