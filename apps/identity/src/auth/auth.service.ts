import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { PasswordHasher } from '../passwords/password-hasher';
import { MAX_PASSWORD_LENGTH } from '../passwords/password-options';
import { normalizePassword, PasswordPolicy } from '../passwords/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { SessionTokensService } from '../tokens/session-tokens.service';
import type { TokenResponse } from '../tokens/token-response';
import { looksLikeEmail, normalizeEmail } from '../users/email';
import type { UserView } from '../users/user-view';
import { UsersService } from '../users/users.service';
import type { LoginDto, RegisterDto } from './auth.dto';

/** Registration and password login. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly sessionTokens: SessionTokensService,
    private readonly audit: AuditService,
  ) {}

  async register(input: RegisterDto, context: RequestContext): Promise<UserView> {
    if (this.config.registration === 'closed') {
      throw new Problem(
        403,
        'registration_closed',
        'Registration is closed',
        'Ask an administrator for an account.',
      );
    }

    const email = normalizeEmail(input.email);
    if (!looksLikeEmail(email)) {
      throw Problem.validation([{ field: 'email', message: 'email must be an email address' }]);
    }

    this.policy.enforce(input.password, 'password');

    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.dataSource.transaction(async (manager) => {
      const created = await this.users.create(manager, {
        email,
        passwordHash,
        displayName: input.displayName?.trim() || null,
      });
      await this.audit.record(
        {
          type: 'user.created',
          outcome: 'success',
          actorId: created.id,
          subjectId: created.id,
          details: { via: 'registration' },
        },
        context,
        manager,
      );
      return created;
    });
    return this.users.view(user);
  }

  /**
   * Checks the password and opens a session. Unknown emails, disabled accounts and wrong
   * passwords all answer the same 401 after one password-hash comparison each.
   */
  async login(input: LoginDto, context: RequestContext): Promise<TokenResponse> {
    // Longer than any password we accept: nothing can match, so spend no hash on it.
    if ([...normalizePassword(input.password)].length > MAX_PASSWORD_LENGTH) {
      throw Problem.invalidCredentials();
    }

    const user = await this.users.findForLogin(input.email);
    if (!user?.passwordHash) {
      // Spend the same time as a real comparison so the answer does not reveal the account.
      await this.hasher.verifyDummy(input.password);
      await this.audit.record(
        {
          type: 'login.failed',
          outcome: 'failure',
          subjectId: user?.id,
          details: { reason: 'unknown_account' },
        },
        context,
      );
      throw Problem.invalidCredentials();
    }

    const verdict = await this.hasher.verify(input.password, user.passwordHash);
    if (!verdict.ok || user.disabledAt) {
      const reason = verdict.ok ? 'disabled' : 'wrong_password';
      await this.audit.record(
        { type: 'login.failed', outcome: 'failure', subjectId: user.id, details: { reason } },
        context,
      );
      throw Problem.invalidCredentials();
    }

    const passwordHash = verdict.needsRehash ? await this.hasher.hash(input.password) : undefined;
    const issued = await this.dataSource.transaction(async (manager) => {
      if (passwordHash) await this.users.setPasswordHash(user.id, passwordHash, manager);
      const started = await this.sessions.start(manager, user.id, ['pwd'], context);
      await this.audit.record(
        {
          type: 'login.succeeded',
          outcome: 'success',
          actorId: user.id,
          subjectId: user.id,
          details: { sessionId: started.session.id, rehashed: Boolean(passwordHash) },
        },
        context,
        manager,
      );
      return started;
    });
    return this.sessionTokens.respond(issued.session, issued.refreshToken);
  }
}
