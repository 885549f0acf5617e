import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  KeyObject,
  randomBytes,
} from 'node:crypto';

const VERSION = 'v1';
const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * A sealed value could not be opened: malformed, tampered with, sealed under another key or
 * bound to other associated data. The message never names the key, the plaintext or which of
 * these it was.
 */
export class SecretBoxError extends Error {
  constructor(message = 'sealed value cannot be opened') {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Authenticated encryption of small secrets at rest (AES-256-GCM, node:crypto).
 *
 * Each seal uses a fresh random 96-bit IV and a 128-bit tag, and binds `associatedData` (for
 * example the row id) so that a sealed value copied to another row does not open there. Output
 * is `v1.<iv>.<ciphertext>.<tag>`, each part base64url without padding. Random IVs keep a single
 * key safe for about 2^32 seals; rotate the master key long before that.
 */
export class SecretBox {
  readonly #key: KeyObject;

  /** Takes the 32-byte master key (copied). Throws a `RangeError` if it is not a 32-byte Buffer. */
  constructor(masterKey: Buffer) {
    if (!Buffer.isBuffer(masterKey) || masterKey.length !== KEY_BYTES) {
      throw new RangeError(`SecretBox master key must be ${KEY_BYTES} bytes`);
    }
    this.#key = createSecretKey(Buffer.from(masterKey));
  }

  /**
   * Encrypts `plaintext` (a string is taken as UTF-8) bound to `associatedData`.
   * Throws a `TypeError` if either argument has the wrong type.
   */
  seal(plaintext: Buffer | string, associatedData: string): string {
    if (typeof plaintext !== 'string' && !Buffer.isBuffer(plaintext)) {
      throw new TypeError('SecretBox plaintext must be a Buffer or a string');
    }
    if (typeof associatedData !== 'string') {
      throw new TypeError('SecretBox associated data must be a string');
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const ciphertext = Buffer.concat([cipher.update(body), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, ciphertext, tag].map(encode).join('.');
  }

  /**
   * Decrypts a value made by {@link seal} with the same key and `associatedData`.
   * Throws a {@link SecretBoxError} on malformed input, a wrong key, wrong associated data or
   * any tampering; nothing is returned unless the tag verifies.
   */
  open(sealed: string, associatedData: string): Buffer {
    if (typeof sealed !== 'string' || typeof associatedData !== 'string') {
      throw new SecretBoxError();
    }
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError();
    const iv = decode(parts[1]);
    const ciphertext = decode(parts[2]);
    const tag = decode(parts[3]);
    if (!iv || !ciphertext || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretBoxError();
    }
    try {
      const decipher = createDecipheriv(CIPHER, this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new SecretBoxError();
    }
  }
}

function encode(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}

/** Strict base64url: only the alphabet, and only the canonical encoding of its bytes. */
function decode(segment: string): Buffer | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}
