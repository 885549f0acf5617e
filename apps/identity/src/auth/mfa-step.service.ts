import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { MfaService } from '../mfa/mfa.service';
import { AccountAttempts } from '../rate-limits/account-attempts';
import { SessionsService } from '../sessions/sessions.service';
import { SessionTokensService } from '../tokens/session-tokens.service';
import type { TokenResponse } from '../tokens/token-response';
import { UsersService } from '../users/users.service';
import type { MfaStepDto } from './auth.dto';
import { MfaChallengesService } from '../mfa/mfa-challenges.service';

/** The second step of a login, after the password step answered `mfa_required`. */
@Injectable()
export class MfaStepService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly sessionTokens: SessionTokensService,
    private readonly audit: AuditService,
    private readonly mfa: MfaService,
    private readonly challenges: MfaChallengesService,
    private readonly attempts: AccountAttempts,
  ) {}

  /**
   * The second step of a login with MFA on: one TOTP code or one recovery code against a live
   * `mfa_token`. Wrong codes count against the token (five at most) and against the account's
   * email like wrong passwords (LOGIN_ACCOUNT_LIMIT), and answer 401 `invalid_code`.
   */
  async complete(input: MfaStepDto, context: RequestContext): Promise<TokenResponse> {
    if (Boolean(input.code) === Boolean(input.recovery_code)) {
      throw Problem.validation([{ field: 'code', message: 'send either code or recovery_code' }]);
    }

    const challenge = await this.challenges.resolve(input.mfa_token);
    const email = (await this.users.findById(challenge.userId))?.email;
    if (email) await this.attempts.assertAllowed(email, context);
    // Counted before the check: parallel guesses on one token cannot pass five.
    await this.challenges.beginAttempt(challenge);

    const accepted = input.code
      ? await this.mfa.verifyTotp(challenge.userId, input.code, context)
      : await this.mfa.useRecoveryCode(challenge.userId, input.recovery_code as string, context);
    if (!accepted) {
      if (email) await this.attempts.recordFailure(email);
      throw new Problem(
        401,
        'invalid_code',
        'Invalid code',
        'The code is wrong or was already used.',
      );
    }

    const method = input.code ? 'totp' : 'recovery_code';
    const issued = await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findById(challenge.userId, manager);
      if (!user || user.disabledAt || !(await this.challenges.complete(manager, challenge))) {
        return undefined;
      }
      const started = await this.sessions.start(manager, user.id, ['pwd', 'otp'], context);
      await this.audit.record(
        {
          type: 'login.succeeded',
          outcome: 'success',
          actorId: user.id,
          subjectId: user.id,
          details: { sessionId: started.session.id, mfa: method },
        },
        context,
        manager,
      );
      return started;
    });
    if (!issued) throw Problem.invalidCredentials();
    return this.sessionTokens.respond(issued);
  }
}
