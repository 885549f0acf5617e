import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { ConfigError } from '../config/env-readers';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { ADMIN_ROLE, RolesService } from '../roles/roles.service';
import { looksLikeEmail, normalizeEmail } from './email';
import { UsersService } from './users.service';

/** Same number on every instance, so only one of them creates the first admin. */
const BOOTSTRAP_LOCK = 0x7e55ad1;

/**
 * Creates BOOTSTRAP_ADMIN_EMAIL as an admin at start when no user holds the admin role. An
 * existing account of that email is not promoted: that would hand it over without its password.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly roles: RolesService,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { bootstrapAdminEmail: email, bootstrapAdminPassword: password } = this.config;
    if (!email || !password) return;
    if (await this.roles.anyoneHolds(ADMIN_ROLE)) return;

    if (!looksLikeEmail(normalizeEmail(email))) {
      throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL is invalid: expected an email address');
    }
    if (this.policy.check(password).length > 0) {
      throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD is invalid: it breaks the password policy');
    }
    if (await this.users.findForLogin(email)) {
      throw new ConfigError(
        'BOOTSTRAP_ADMIN_EMAIL belongs to an existing account; grant it admin another way or pick another email',
      );
    }
    const hash = await this.hasher.hash(password);

    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      if (await this.roles.anyoneHolds(ADMIN_ROLE, manager)) return;
      const user = await this.users.create(manager, {
        email,
        passwordHash: hash,
        displayName: 'Administrator',
      });
      await this.roles.grant(manager, user.id, ADMIN_ROLE);
      await this.audit.record(
        {
          type: 'user.created',
          outcome: 'success',
          subjectId: user.id,
          details: { via: 'bootstrap', role: ADMIN_ROLE },
        },
        undefined,
        manager,
      );
      this.logger.log({ userId: user.id }, 'created the bootstrap admin');
    });
  }
}
