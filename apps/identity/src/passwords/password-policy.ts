import { Inject, Injectable } from '@nestjs/common';
import { Problem } from '../common/problem';
import { isCommonPassword } from './common-passwords';
import { normalizePassword } from './normalize-password';
import {
  assertPasswordOptions,
  MAX_PASSWORD_LENGTH,
  PASSWORD_OPTIONS,
  PasswordOptions,
} from './password-options';

export { normalizePassword };

export type PolicyViolationCode =
  'too_short' | 'too_long' | 'nul_byte' | 'common_password' | 'repetitive';

export interface PolicyViolation {
  code: PolicyViolationCode;
  /** A short sentence for the user; never contains the password. */
  message: string;
}

/**
 * Above this many UTF-16 units the password is too long whatever NFKC does: normalisation folds
 * at most 4 code points into 1 and a code point takes at most 2 units, so 128 code points come
 * from at most 1024 units; twice that leaves a margin. Lets huge input skip normalisation.
 */
const RAW_LENGTH_CEILING = MAX_PASSWORD_LENGTH * 16;

/** One unit of 1 to 4 code points repeated at least twice, and nothing else. */
const REPEATED_UNIT = /^(.{1,4})\1+$/su;

function codePointLength(value: string): number {
  return Array.from(value).length;
}

/**
 * Password rules of NIST SP 800-63B rev. 4 and OWASP ASVS 5.0 V6.2: length in code points after
 * NFKC, no NUL, not a common or breached password, not one short unit repeated. No composition
 * rules (no "one digit, one symbol"): they make passwords harder to remember, not to guess.
 */
@Injectable()
export class PasswordPolicy {
  private readonly minLength: number;

  constructor(@Inject(PASSWORD_OPTIONS) options: PasswordOptions) {
    assertPasswordOptions(options);
    this.minLength = options.minLength;
  }

  /** Throws a 400 `validation_failed` naming `field` when the password breaks a rule. */
  enforce(password: string, field: string): void {
    const violations = this.check(password);
    if (violations.length > 0) {
      throw Problem.validation(violations.map((v) => ({ field, message: v.message })));
    }
  }

  /** Every rule the password breaks; an empty array means it is acceptable. */
  check(password: string): PolicyViolation[] {
    // Length first, so an oversized password costs nothing before it is refused.
    if (password.length > RAW_LENGTH_CEILING) return [tooLong()];
    const normalized = normalizePassword(password);
    const length = codePointLength(normalized);
    if (length > MAX_PASSWORD_LENGTH) return [tooLong()];

    const violations: PolicyViolation[] = [];
    if (length < this.minLength) {
      violations.push({
        code: 'too_short',
        message: `Use at least ${this.minLength} characters.`,
      });
    }
    if (normalized.includes('\u0000')) {
      violations.push({ code: 'nul_byte', message: 'Remove the NUL (zero) character.' });
    }
    if (isCommonPassword(normalized)) {
      violations.push({
        code: 'common_password',
        message: 'This password is too common; choose one that is harder to guess.',
      });
    }
    if (REPEATED_UNIT.test(normalized.toLowerCase())) {
      violations.push({
        code: 'repetitive',
        message: 'Avoid repeating the same few characters; choose a less predictable password.',
      });
    }
    return violations;
  }
}

function tooLong(): PolicyViolation {
  return { code: 'too_long', message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` };
}
