/** Trim, NFKC, lowercase: the form emails are stored, compared and rate-limited in. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

// Deliberately loose (RFC 5321 is looser still): one @, no spaces or controls, a dotted domain.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export function looksLikeEmail(normalized: string): boolean {
  return normalized.length <= 254 && EMAIL_SHAPE.test(normalized);
}
