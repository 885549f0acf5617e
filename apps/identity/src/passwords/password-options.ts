/** Nest provider token for {@link PasswordOptions}. */
export const PASSWORD_OPTIONS = Symbol('PASSWORD_OPTIONS');

/** The three settings the password services need, taken from the app config. */
export interface PasswordOptions {
  /** Algorithm used for new hashes; stored hashes of either kind still verify. */
  kind: 'bcrypt' | 'argon2id';
  /** bcrypt work factor for new hashes (10..15). */
  bcryptCost: number;
  /** Shortest accepted password, in Unicode code points after NFKC (8..128). */
  minLength: number;
}

/** Longest accepted password, in code points (OWASP ASVS 5.0 V6.2: at least 64 must be allowed). */
export const MAX_PASSWORD_LENGTH = 128;

/** Refuses options that the config loader would also refuse, so a bad wiring fails at start. */
export function assertPasswordOptions(options: PasswordOptions): void {
  if (options.kind !== 'bcrypt' && options.kind !== 'argon2id') {
    throw new Error('PasswordOptions.kind must be bcrypt or argon2id');
  }
  if (!Number.isInteger(options.bcryptCost) || options.bcryptCost < 10 || options.bcryptCost > 15) {
    throw new Error('PasswordOptions.bcryptCost must be an integer from 10 to 15');
  }
  const min = options.minLength;
  if (!Number.isInteger(min) || min < 8 || min > MAX_PASSWORD_LENGTH) {
    throw new Error(
      `PasswordOptions.minLength must be an integer from 8 to ${MAX_PASSWORD_LENGTH}`,
    );
  }
}
