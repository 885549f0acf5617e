import 'reflect-metadata';
import { decodeCursor, encodeCursor, pageOf } from './pagination';
import { Problem } from './problem';

describe('cursor pagination', () => {
  it('gives back the key it was given', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00Z', 'abc']), 2)).toEqual([
      '2026-01-01T00:00:00Z',
      'abc',
    ]);
  });

  it.each(['', 'not base64 json', encodeCursor(['one']), encodeCursor([1, 2]), '%%%'])(
    'refuses the cursor %p as a validation error',
    (cursor) => {
      expect(() => decodeCursor(cursor, 2)).toThrow(Problem);
    },
  );

  it('shows limit rows and a cursor when one more row was fetched', () => {
    const page = pageOf(
      [1, 2, 3],
      2,
      (n) => [String(n)],
      (n) => n * 10,
    );
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor(page.next_cursor!, 1)).toEqual(['2']);
  });

  it('has no cursor on the last page', () => {
    expect(
      pageOf(
        [1, 2],
        2,
        (n) => [String(n)],
        (n) => n,
      ),
    ).toEqual({
      items: [1, 2],
      next_cursor: null,
    });
  });
});
