import { sha256Base64url } from '../common/crypto/hashing';
import {
  CLIENT_ID_SHAPE,
  clientSecretMatches,
  newClientId,
  newClientSecret,
} from './client-secrets';

describe('client ids and secrets', () => {
  it('makes URL-safe client ids that differ every time', () => {
    const ids = new Set(Array.from({ length: 50 }, newClientId));

    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(CLIENT_ID_SHAPE);
  });

  it('makes 256-bit secrets and keeps only their SHA-256', () => {
    const { secret, hash } = newClientSecret();

    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(hash).toBe(sha256Base64url(secret));
    expect(hash).not.toContain(secret);
  });

  it('matches a secret only against the hash of that very secret', () => {
    const { secret, hash } = newClientSecret();

    expect(clientSecretMatches(secret, hash)).toBe(true);
    expect(clientSecretMatches(`${secret}x`, hash)).toBe(false);
    expect(clientSecretMatches('', hash)).toBe(false);
  });

  it('says no, without throwing, when there is no hash or a malformed one', () => {
    const { secret } = newClientSecret();

    expect(clientSecretMatches(secret, undefined)).toBe(false);
    expect(clientSecretMatches(secret, 'short')).toBe(false);
  });
});
