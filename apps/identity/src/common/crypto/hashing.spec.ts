import { createHash } from 'node:crypto';
import { randomToken, safeEqual, sha256Base64url } from './hashing';

describe('sha256Base64url', () => {
  it('matches the FIPS 180-2 test vector for "abc", in unpadded base64url', () => {
    expect(sha256Base64url('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('hashes the UTF-8 bytes of the string', () => {
    const expected = createHash('sha256').update(Buffer.from('héllo', 'utf8')).digest('base64url');
    expect(sha256Base64url('héllo')).toBe(expected);
  });
});

describe('randomToken', () => {
  it('returns 32 random bytes as 43 base64url characters by default', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('never repeats itself', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken()));
    expect(tokens.size).toBe(1000);
  });

  it('honours the requested length and refuses fewer than 16 bytes or fractions', () => {
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
    expect(Buffer.from(randomToken(64), 'base64url')).toHaveLength(64);
    for (const bad of [0, 8, 15, 16.5, 2048, Number.NaN]) {
      expect(() => randomToken(bad)).toThrow(RangeError);
    }
  });
});

describe('safeEqual', () => {
  it('is true only for identical strings', () => {
    expect(safeEqual('s3cret', 's3cret')).toBe(true);
    expect(safeEqual('s3cret', 's3creT')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });

  it('compares strings of different lengths without throwing', () => {
    expect(safeEqual('short', 'a much longer secret value')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });

  it('is false rather than throwing when a side is not a string', () => {
    expect(safeEqual(undefined as unknown as string, 'x')).toBe(false);
    expect(safeEqual('x', null as unknown as string)).toBe(false);
  });
});
