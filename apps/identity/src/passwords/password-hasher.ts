import { randomBytes } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { argon2idHash, argon2NeedsRehash, argon2Verify, isArgon2 } from './argon2id-scheme';
import { bcryptHash, bcryptVerify, parseBcrypt } from './bcrypt-scheme';
import { normalizePassword } from './normalize-password';
import { assertPasswordOptions, PASSWORD_OPTIONS, PasswordOptions } from './password-options';

export interface VerifyResult {
  ok: boolean;
  /** Only ever true when `ok` is: the caller should store `hash(password)` in place of it. */
  needsRehash: boolean;
}

const NO_MATCH: VerifyResult = { ok: false, needsRehash: false };

/**
 * Hashes passwords with the configured kind and verifies hashes of any kind Tessera knows:
 * `$bcrypt-sha256$$2b$...` (Tessera's bcrypt), `$argon2id$...` (PHC), and plain `$2a$/$2b$/$2y$`
 * bcrypt or `$argon2i$/$argon2d$` hashes imported from other systems. The comparison is always
 * done by the hashing library, in constant time. Passwords are normalised with NFKC first.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly kind: PasswordOptions['kind'];
  private readonly bcryptCost: number;
  private dummyHash?: Promise<string>;

  constructor(@Inject(PASSWORD_OPTIONS) options: PasswordOptions) {
    assertPasswordOptions(options);
    this.kind = options.kind;
    this.bcryptCost = options.bcryptCost;
  }

  /** Makes the dummy hash at start, so the first unknown-email login costs no extra hash. */
  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  /** Hashes with the configured kind and parameters. */
  hash(password: string): Promise<string> {
    const normalized = normalizePassword(password);
    return this.kind === 'bcrypt'
      ? bcryptHash(normalized, this.bcryptCost)
      : argon2idHash(normalized);
  }

  /** Never throws for an unknown or damaged stored value: it just does not match. */
  async verify(password: string, stored: string): Promise<VerifyResult> {
    const normalized = normalizePassword(password);
    const bcrypt = parseBcrypt(stored);
    if (bcrypt) {
      if (!(await bcryptVerify(normalized, bcrypt))) return NO_MATCH;
      const current =
        this.kind === 'bcrypt' &&
        bcrypt.prehashed &&
        bcrypt.version === '2b' &&
        bcrypt.cost === this.bcryptCost;
      return { ok: true, needsRehash: !current };
    }
    if (isArgon2(stored)) {
      if (!(await argon2Verify(normalized, stored))) return NO_MATCH;
      return { ok: true, needsRehash: this.kind !== 'argon2id' || argon2NeedsRehash(stored) };
    }
    return NO_MATCH;
  }

  /**
   * For a login whose email matches no account: spends one comparison of the configured kind, so
   * that the response takes as long as a wrong password for a real account. Without it the
   * response time would tell an attacker which emails are registered (account enumeration).
   * The hash is of a random value nobody knows, made once and then reused.
   */
  async verifyDummy(password: string): Promise<void> {
    await this.verify(password, await this.dummy());
  }

  private dummy(): Promise<string> {
    if (this.dummyHash === undefined) {
      this.dummyHash = this.hash(randomBytes(32).toString('base64url'));
      void this.dummyHash.catch(() => (this.dummyHash = undefined));
    }
    return this.dummyHash;
  }
}
