import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { looksLikeEmail, normalizeEmail } from '../users/email';
import type { UserView } from '../users/user-view';
import { UsersService } from '../users/users.service';
import type { RegisterDto } from './auth.dto';

/** Self-registration: a new account holding the default role, when REGISTRATION=open. */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
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
}
