import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | undefined;
let longest = 0;

/** Built on first use: ~49k lowercased entries of the zxcvbn-ts common/breached password list. */
function commonPasswords(): Set<string> {
  if (common === undefined) {
    const set = new Set<string>();
    for (const entry of dictionary['passwords-common']) {
      const lower = entry.toLowerCase();
      set.add(lower);
      longest = Math.max(longest, lower.length);
    }
    common = set;
  }
  return common;
}

/** True when the (already normalised) password is on the list, ignoring case. */
export function isCommonPassword(normalized: string): boolean {
  const set = commonPasswords();
  if (normalized.length > longest) return false;
  return set.has(normalized.toLowerCase());
}
