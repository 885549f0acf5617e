import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { base32 } from '@scure/base';

const CODE_COUNT = 10;
const CODE_BYTES = 10;
const NORMALIZED_CODE = /^[A-Z2-7]{16}$/;

/** Ten single-use codes of 80 random bits each, shown as `abcd-efgh-ijkl-mnop`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: CODE_COUNT }, () => {
    const code = base32.encode(randomBytes(CODE_BYTES)).toLowerCase();
    return [0, 4, 8, 12].map((at) => code.slice(at, at + 4)).join('-');
  });
}

/** What the user typed, as stored: without spaces or dashes, upper case. */
export function normalizeRecoveryCode(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

/** True when the input, once normalised, has the shape of a recovery code. */
export function isRecoveryCode(input: unknown): input is string {
  return typeof input === 'string' && NORMALIZED_CODE.test(normalizeRecoveryCode(input));
}

// Keyed by a secret kept out of the database: a leaked table alone cannot be brute-forced offline.
export function recoveryCodeKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, '', 'tessera/recovery-codes/v1', 32));
}

/** HMAC-SHA-256 of the normalised code under {@link recoveryCodeKey}, base64url. */
export function hashRecoveryCode(code: string, key: Buffer): string {
  return createHmac('sha256', key).update(normalizeRecoveryCode(code), 'utf8').digest('base64url');
}
