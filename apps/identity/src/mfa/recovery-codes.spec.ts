import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import {
  hashRecoveryCode,
  isRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
  recoveryCodeKey,
} from './recovery-codes';

const GROUPED = /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/;

describe('newRecoveryCodes', () => {
  it('makes ten distinct codes of 16 base32 characters (80 bits), grouped in fours', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(GROUPED);
      const bytes = OTPAuth.Secret.fromBase32(normalizeRecoveryCode(code)).bytes;
      expect(bytes).toHaveLength(10);
    }
  });

  it('uses every character of the alphabet across many codes', () => {
    const seen = new Set(
      Array.from({ length: 50 }, () => newRecoveryCodes().join('').replace(/-/g, '')).join(''),
    );
    expect(seen.size).toBe(32);
  });
});

describe('normalizeRecoveryCode', () => {
  it('accepts spaces, dashes and either case', () => {
    const [code] = newRecoveryCodes();
    const plain = code.replace(/-/g, '').toUpperCase();
    for (const typed of [code, code.toUpperCase(), ` ${code.replace(/-/g, ' ')} `, plain]) {
      expect(normalizeRecoveryCode(typed)).toBe(plain);
      expect(isRecoveryCode(typed)).toBe(true);
    }
  });

  it('does not make a code out of the wrong characters or length', () => {
    for (const bad of ['', 'abcd-efgh-ijkl-mno', 'abcd-efgh-ijkl-mnop-q', 'abcd-efgh-ijkl-mn0p']) {
      expect(isRecoveryCode(bad)).toBe(false);
    }
  });
});

describe('hashRecoveryCode', () => {
  const key = recoveryCodeKey(randomBytes(32));

  it('hashes every typing of a code to the same value', () => {
    const [code] = newRecoveryCodes();
    expect(hashRecoveryCode(code.toUpperCase().replace(/-/g, ' '), key)).toBe(
      hashRecoveryCode(code, key),
    );
    expect(hashRecoveryCode(code, key)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('depends on the master key, so the table alone cannot be checked offline', () => {
    const [code] = newRecoveryCodes();
    const other = recoveryCodeKey(randomBytes(32));
    expect(hashRecoveryCode(code, key)).not.toBe(hashRecoveryCode(code, other));
  });

  it('derives a 32-byte key that is not the master key', () => {
    const master = randomBytes(32);
    const derived = recoveryCodeKey(master);
    expect(derived).toHaveLength(32);
    expect(derived.equals(master)).toBe(false);
    expect(derived.equals(recoveryCodeKey(master))).toBe(true);
  });
});
