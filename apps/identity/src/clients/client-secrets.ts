import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomToken, sha256Base64url } from '../common/crypto/hashing';

const CLIENT_ID_PREFIX = 'svc_';

/** What our client ids look like: the prefix and 16 random bytes, base64url. */
export const CLIENT_ID_SHAPE = /^svc_[A-Za-z0-9_-]{22}$/;

// Compared against when the client does not exist, so that an unknown id costs the same work.
const STAND_IN_HASH = createHash('sha256').update(randomBytes(32)).digest();

/** A public, random, URL-safe client id; it names the client and proves nothing. */
export function newClientId(): string {
  return CLIENT_ID_PREFIX + randomToken(16);
}

/** A new client secret (256 random bits) and the SHA-256 that is all the database keeps of it. */
export function newClientSecret(): { secret: string; hash: string } {
  const secret = randomToken(32);
  return { secret, hash: sha256Base64url(secret) };
}

/**
 * True when `presented` hashes to `storedHash`. The hashes are compared in constant time, and an
 * absent `storedHash` (unknown client) still costs a hash and a comparison before it says false.
 */
export function clientSecretMatches(presented: string, storedHash: string | undefined): boolean {
  const given = Buffer.from(sha256Base64url(presented), 'base64url');
  const stored = storedHash ? Buffer.from(storedHash, 'base64url') : undefined;
  const expected = stored?.length === given.length ? stored : STAND_IN_HASH;
  return timingSafeEqual(given, expected) && expected === stored;
}
