import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

const key = randomBytes(32);
const box = new SecretBox(key);
const ROW = 'kid-1';

function flipFirstBit(segment: string): string {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[0] ^= 0x01;
  return bytes.toString('base64url');
}

function withSegment(sealed: string, index: number, edit: (segment: string) => string): string {
  const parts = sealed.split('.');
  parts[index] = edit(parts[index]);
  return parts.join('.');
}

describe('SecretBox', () => {
  it('opens what it sealed, for strings, buffers and empty plaintexts', () => {
    const bytes = randomBytes(1200);
    expect(box.open(box.seal('a private key', ROW), ROW).toString('utf8')).toBe('a private key');
    expect(box.open(box.seal(bytes, ROW), ROW).equals(bytes)).toBe(true);
    expect(box.open(box.seal('', ROW), ROW).length).toBe(0);
  });

  it('writes v1.<iv>.<ciphertext>.<tag> in base64url with a 96-bit iv and a 128-bit tag', () => {
    const sealed = box.seal('secret', ROW);
    const [version, iv, ciphertext, tag] = sealed.split('.');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/);
    expect(version).toBe('v1');
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength(6);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
  });

  it('never seals the same plaintext to the same output twice', () => {
    const first = box.seal('same', ROW);
    const second = box.seal('same', ROW);
    expect(first).not.toBe(second);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
  });

  it('refuses a value copied to a row with other associated data', () => {
    const sealed = box.seal('secret', 'kid-1');
    expect(() => box.open(sealed, 'kid-2')).toThrow(SecretBoxError);
    expect(() => box.open(sealed, '')).toThrow(SecretBoxError);
  });

  it('refuses a value sealed under another master key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(box.seal('secret', ROW), ROW)).toThrow(SecretBoxError);
  });

  it('refuses a value whose iv, ciphertext or tag was changed by one bit', () => {
    const sealed = box.seal('secret', ROW);
    for (const index of [1, 2, 3]) {
      expect(() => box.open(withSegment(sealed, index, flipFirstBit), ROW)).toThrow(SecretBoxError);
    }
  });

  it('refuses a truncated tag, a swapped ciphertext and a dropped segment', () => {
    const sealed = box.seal('secret', ROW);
    const other = box.seal('public', ROW);
    const shortTag = withSegment(sealed, 3, (tag) => tag.slice(0, 16));
    const swapped = withSegment(sealed, 2, () => other.split('.')[2]);
    const dropped = sealed.split('.').slice(0, 3).join('.');
    for (const bad of [shortTag, swapped, dropped]) {
      expect(() => box.open(bad, ROW)).toThrow(SecretBoxError);
    }
  });

  it('refuses malformed input with a SecretBoxError, not a crash', () => {
    const sealed = box.seal('secret', ROW);
    const malformed = [
      '',
      'v1',
      sealed.replace(/^v1/, 'v2'),
      `${sealed}.extra`,
      withSegment(sealed, 1, (iv) => `${iv}=`),
      withSegment(sealed, 2, (ct) => `${ct}+/`),
      withSegment(sealed, 1, () => ''),
      123 as unknown as string,
    ];
    for (const bad of malformed) expect(() => box.open(bad, ROW)).toThrow(SecretBoxError);
  });

  it('says nothing about the key or the plaintext when it refuses', () => {
    const sealed = box.seal('hunter2-plaintext', 'kid-1');
    try {
      box.open(sealed, 'kid-2');
      throw new Error('opened');
    } catch (error) {
      expect(error).toBeInstanceOf(SecretBoxError);
      const text = `${(error as Error).message} ${(error as Error).stack}`;
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain(key.toString('base64'));
      expect(text).not.toContain(key.toString('hex'));
    }
  });

  it('refuses a master key that is not exactly 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(31))).toThrow(RangeError);
    expect(() => new SecretBox(randomBytes(33))).toThrow(RangeError);
    expect(() => new SecretBox('x'.repeat(32) as unknown as Buffer)).toThrow(RangeError);
  });

  it('keeps working when the caller later wipes its copy of the master key', () => {
    const callerKey = randomBytes(32);
    const own = new SecretBox(callerKey);
    const sealed = own.seal('secret', ROW);
    const copy = Buffer.from(callerKey);
    callerKey.fill(0);
    expect(own.open(sealed, ROW).toString()).toBe('secret');
    expect(new SecretBox(copy).open(sealed, ROW).toString()).toBe('secret');
  });
});
