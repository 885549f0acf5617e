/** Fullwidth (U+FF01..U+FF5E) form of printable ASCII, which NFKC folds back. */
export function fullwidth(value: string): string {
  return value.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}
