import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { MfaService } from '../mfa/mfa.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { AccountAttempts } from '../rate-limits/account-attempts';
import { MAX_PASSWORD_LENGTH } from '../passwords/password-options';
import { normalizePassword } from '../passwords/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { SessionTokensService } from '../tokens/session-tokens.service';
import type { TokenResponse } from '../tokens/token-response';
import { looksLikeEmail, normalizeEmail } from '../users/email';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { LoginDto } from './auth.dto';
import { MfaChallengesService } from '../mfa/mfa-challenges.service';

/** What login answers when the account has a second factor (the contract's shape). */
export interface MfaRequired {
  mfa_required: true;
  mfa_token: string;
  methods: string[];
}

/**
 * The password step of a login. Unknown emails, disabled accounts and wrong passwords all answer
 * the same 401 after one password-hash comparison each, and count against the email's
 * LOGIN_ACCOUNT_LIMIT; past it, the 429 comes before any hash. With MFA on, the answer is a
 * challenge.
 */
@Injectable()
export class PasswordLoginService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly sessionTokens: SessionTokensService,
    private readonly audit: AuditService,
    private readonly mfa: MfaService,
    private readonly challenges: MfaChallengesService,
    private readonly attempts: AccountAttempts,
  ) {}

  async login(input: LoginDto, context: RequestContext): Promise<TokenResponse | MfaRequired> {
    await this.attempts.assertAllowed(input.email, context);

    // Longer than any password we accept: nothing can match, so spend no hash on it.
    if ([...normalizePassword(input.password)].length > MAX_PASSWORD_LENGTH) {
      throw Problem.invalidCredentials();
    }

    const user = await this.findAccount(input.email);
    if (!user?.passwordHash) {
      // Spend the same time as a real comparison so the answer does not reveal the account.
      await this.hasher.verifyDummy(input.password);
      return this.fail(input.email, context, user?.id, 'unknown_account');
    }
    const storedHash = user.passwordHash;

    const verdict = await this.hasher.verify(input.password, storedHash);
    if (!verdict.ok) return this.fail(input.email, context, user.id, 'wrong_password');
    if (user.disabledAt) return this.fail(input.email, context, user.id, 'disabled');

    const rehash = verdict.needsRehash ? await this.hasher.hash(input.password) : undefined;

    if (await this.mfa.isEnabled(user.id)) {
      if (rehash) await this.users.replacePasswordHash(user.id, storedHash, rehash);
      const mfaToken = await this.challenges.open(user.id);
      return { mfa_required: true, mfa_token: mfaToken, methods: ['totp', 'recovery_code'] };
    }

    const issued = await this.dataSource.transaction(async (manager) => {
      // Re-read under a row lock: a password change that committed while this login was hashing
      // wins, and one that starts now waits, then ends this session with the others.
      if (!(await this.users.lockIfUnchanged(manager, user.id, storedHash))) return undefined;
      if (rehash) await this.users.replacePasswordHash(user.id, storedHash, rehash, manager);
      const started = await this.sessions.start(manager, user.id, ['pwd'], context);
      await this.audit.record(
        {
          type: 'login.succeeded',
          outcome: 'success',
          actorId: user.id,
          subjectId: user.id,
          details: { sessionId: started.session.id, rehashed: Boolean(rehash) },
        },
        context,
        manager,
      );
      return started;
    });
    if (!issued) return this.fail(input.email, context, user.id, 'changed_during_login');
    return this.sessionTokens.respond(issued);
  }

  /** The account of an email, or null; a string that is no email (NUL included) finds none. */
  private async findAccount(email: string): Promise<User | null> {
    return looksLikeEmail(normalizeEmail(email)) ? this.users.findForLogin(email) : null;
  }

  private async fail(
    email: string,
    context: RequestContext,
    userId: string | undefined,
    reason: string,
  ): Promise<never> {
    await this.attempts.recordFailure(email);
    await this.audit.record(
      { type: 'login.failed', outcome: 'failure', subjectId: userId, details: { reason } },
      context,
    );
    throw Problem.invalidCredentials();
  }
}
