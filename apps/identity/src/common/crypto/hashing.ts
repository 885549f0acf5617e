import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const MIN_TOKEN_BYTES = 16;
const MAX_TOKEN_BYTES = 1024;

/**
 * SHA-256 of the UTF-8 `value`, base64url without padding (43 characters). For storing
 * high-entropy secrets such as refresh tokens or client secrets as lookup hashes; never for
 * passwords. Throws a `TypeError` if `value` is not a string.
 */
export function sha256Base64url(value: string): string {
  if (typeof value !== 'string') throw new TypeError('sha256Base64url takes a string');
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/**
 * A fresh random secret of `bytes` bytes from the CSPRNG, base64url without padding.
 * Throws a `RangeError` unless `bytes` is a whole number from 16 to 1024.
 */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOKEN_BYTES || bytes > MAX_TOKEN_BYTES) {
    throw new RangeError(
      `randomToken takes a whole number of bytes from ${MIN_TOKEN_BYTES} to ${MAX_TOKEN_BYTES}`,
    );
  }
  return randomBytes(bytes).toString('base64url');
}

/**
 * Constant-time string equality for secrets. Both sides are hashed with SHA-256 first, so the
 * comparison time leaks neither the content nor the lengths. Returns false (never throws) when
 * either side is not a string.
 */
export function safeEqual(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}
