import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { toDataURL } from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuditDetails } from '../audit/audit-event.entity';
import { SecretBox } from '../common/crypto/secret-box';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { isUuid } from '../common/uuid';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { PasswordHasher } from '../passwords/password-hasher';
import { AccountAttempts } from '../rate-limits/account-attempts';
import { UsersService } from '../users/users.service';
import { MfaChallengesService } from './mfa-challenges.service';
import { MfaProblem } from './mfa-problems';
import type { MfaProof, TotpEnrollment } from './mfa-types';
import { consumeRecoveryCode, replaceRecoveryCodes } from './recovery-code-store';
import { recoveryCodeKey } from './recovery-codes';
import { acceptedStep, isSixDigits, newTotpSecret, totpUri } from './totp';
import { TotpFactor } from './totp-factor.entity';
import {
  activateFactor,
  claimStep,
  findFactor,
  removeFactor,
  savePendingFactor,
} from './totp-factor-store';

/**
 * Second factors: TOTP enrollment and verification, recovery codes, and turning MFA off. A TOTP
 * step and a recovery code are each accepted at most once, also under concurrent submissions.
 * Methods taking a `manager` run in the caller's transaction. Errors are {@link Problem}s.
 */
@Injectable()
export class MfaService {
  private readonly logger = new Logger('Mfa');
  private readonly box: SecretBox;
  private readonly recoveryKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly challenges: MfaChallengesService,
    private readonly attempts: AccountAttempts,
  ) {
    this.box = new SecretBox(config.masterKey as Buffer);
    this.recoveryKey = recoveryCodeKey(config.masterKey as Buffer);
  }

  /**
   * Starts (or restarts) an enrollment with a fresh secret, pending until {@link confirm}.
   * Throws 409 `mfa_already_enabled` when an active factor exists, 404 for an unknown user.
   */
  async enroll(userId: string): Promise<TotpEnrollment> {
    const user = await this.users.findById(userId);
    if (!user) throw Problem.notFound();

    const id = randomUUID();
    const secret = newTotpSecret();
    const sealedSecret = this.box.seal(secret, id);
    const saved = await savePendingFactor(this.dataSource.manager, { id, userId, sealedSecret });
    if (!saved) throw MfaProblem.alreadyEnabled();

    const otpauthUri = await totpUri(secret, user.email);
    return { secret, otpauthUri, qrCode: await toDataURL(otpauthUri) };
  }

  /**
   * Activates the pending factor with a first code and issues ten recovery codes. Throws 409
   * `mfa_not_pending` without a pending factor, 400 `invalid_code` for a wrong code.
   */
  async confirm(
    userId: string,
    code: string,
    context: RequestContext,
  ): Promise<{ recoveryCodes: string[] }> {
    const factor = await findFactor(this.dataSource.manager, userId, 'pending');
    if (!factor) throw MfaProblem.notPending();

    const email = await this.assertAccountAllowed(userId, context);
    const step = await this.stepOf(code, factor);
    if (step === undefined) {
      await this.attempts.recordFailure(email);
      await this.failed(userId, { method: 'totp', reason: 'wrong_code', stage: 'enroll' }, context);
      throw MfaProblem.invalidCode();
    }

    return this.dataSource.transaction(async (manager) => {
      if (!(await activateFactor(manager, factor.id, step))) throw MfaProblem.notPending();

      const recoveryCodes = await replaceRecoveryCodes(manager, userId, this.recoveryKey);
      await this.record('mfa.enrolled', userId, {}, context, manager);
      return { recoveryCodes };
    });
  }

  /** True when the user has an active (confirmed) TOTP factor. */
  async isEnabled(userId: string, manager = this.dataSource.manager): Promise<boolean> {
    return (await findFactor(manager, userId, 'active')) !== null;
  }

  /**
   * Accepts a TOTP code of the user's active factor once: its step must be later than the last
   * accepted one. Records `mfa.failed` and returns false on a wrong or replayed code; never throws
   * for a bad code.
   */
  async verifyTotp(
    userId: string,
    code: string,
    context: RequestContext,
    manager = this.dataSource.manager,
  ): Promise<boolean> {
    const factor = isSixDigits(code) ? await findFactor(manager, userId, 'active') : null;
    const step = factor ? await this.stepOf(code, factor) : undefined;
    if (!factor || step === undefined) {
      await this.failed(userId, { method: 'totp', reason: 'wrong_code' }, context, manager);
      return false;
    }

    if (!(await claimStep(manager, factor.id, step))) {
      await this.failed(userId, { method: 'totp', reason: 'replayed' }, context, manager);
      return false;
    }

    return true;
  }

  /**
   * Spends one of the user's recovery codes (any spacing, dashes or case). Records
   * `mfa.recovery_code_used`, or `mfa.failed` and returns false; never throws for a bad code.
   */
  async useRecoveryCode(
    userId: string,
    code: string,
    context: RequestContext,
    manager = this.dataSource.manager,
  ): Promise<boolean> {
    const used = isUuid(userId)
      ? await consumeRecoveryCode(manager, userId, code, this.recoveryKey)
      : undefined;
    if (!used) {
      await this.failed(
        userId,
        { method: 'recovery_code', reason: 'wrong_code' },
        context,
        manager,
      );
      return false;
    }

    await this.record('mfa.recovery_code_used', userId, used, context, manager);
    return true;
  }

  /**
   * Turns MFA off after {@link MfaProof}: deletes the factor and the recovery codes. Throws 404
   * `mfa_not_enabled`, 400 `invalid_code` or 403 `invalid_credentials`, checked in that order.
   */
  async disable(userId: string, proof: MfaProof, context: RequestContext): Promise<void> {
    if (!(await this.isEnabled(userId))) throw MfaProblem.notEnabled();

    await this.checkProof(userId, proof, context);

    await this.dataSource.transaction(async (manager) => {
      await removeFactor(manager, userId);
      await this.challenges.voidAll(manager, userId);
      await this.record('mfa.disabled', userId, { proof: proofKind(proof) }, context, manager);
    });
  }

  /** Replaces the recovery codes after {@link MfaProof}; throws like {@link disable}. */
  async regenerateRecoveryCodes(
    userId: string,
    proof: MfaProof,
    context: RequestContext,
  ): Promise<{ recoveryCodes: string[] }> {
    if (!(await this.isEnabled(userId))) throw MfaProblem.notEnabled();

    await this.checkProof(userId, proof, context);

    return this.dataSource.transaction(async (manager) => {
      const recoveryCodes = await replaceRecoveryCodes(manager, userId, this.recoveryKey);
      const details = { proof: proofKind(proof) };
      await this.record('mfa.recovery_codes_regenerated', userId, details, context, manager);
      return { recoveryCodes };
    });
  }

  /** Throws unless the proof holds; a code goes through the same replay-safe path as a login. */
  private async checkProof(userId: string, proof: MfaProof, context: RequestContext) {
    const { code, password } = proof;
    if ((code === undefined) === (password === undefined)) {
      throw Problem.validation([], 'Send either a current code or the password.');
    }

    const email = await this.assertAccountAllowed(userId, context);

    if (code !== undefined) {
      if (await this.verifyTotp(userId, code, context)) return;
      await this.attempts.recordFailure(email);
      throw MfaProblem.invalidCode();
    }

    const hash = await this.users.passwordHashOf(userId);
    const matches = hash !== null && (await this.passwords.verify(password as string, hash)).ok;
    if (!matches) {
      await this.attempts.recordFailure(email);
      await this.failed(userId, { method: 'password', reason: 'wrong_password' }, context);
      throw MfaProblem.wrongPassword();
    }
  }

  /**
   * Wrong codes and passwords here count toward LOGIN_ACCOUNT_LIMIT as at login, so a stolen
   * access token cannot guess its way to turning MFA off. Returns the email the counter uses.
   */
  private async assertAccountAllowed(userId: string, context: RequestContext): Promise<string> {
    const user = await this.users.findById(userId);
    if (!user) throw Problem.unauthenticated('invalid_token');
    await this.attempts.assertAllowed(user.email, context);
    return user.email;
  }

  /** The step the code is valid for; none when the sealed secret does not open (logged). */
  private async stepOf(code: string, factor: TotpFactor): Promise<number | undefined> {
    let secret: string;
    try {
      secret = this.box.open(factor.secret, factor.id).toString('utf8');
    } catch {
      // A secret moved to another row, or sealed under another MASTER_KEY: fail closed.
      this.logger.error({ factorId: factor.id }, 'a TOTP secret cannot be decrypted');
      return undefined;
    }
    return acceptedStep(code, secret, nowSeconds());
  }

  private failed(
    userId: string,
    details: AuditDetails,
    context: RequestContext,
    manager?: EntityManager,
  ) {
    return this.audit.record(
      { type: 'mfa.failed', outcome: 'failure', actorId: userId, subjectId: userId, details },
      context,
      manager,
    );
  }

  private record(
    type: string,
    userId: string,
    details: AuditDetails,
    context: RequestContext,
    manager: EntityManager,
  ) {
    return this.audit.record(
      { type, outcome: 'success', actorId: userId, subjectId: userId, details },
      context,
      manager,
    );
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function proofKind(proof: MfaProof): string {
  return proof.code !== undefined ? 'totp' : 'password';
}
