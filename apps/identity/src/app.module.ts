import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AccountModule } from './account/account.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AuthzModule } from './authz/authz.module';
import { ProblemFilter } from './common/problem.filter';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { createDataSource } from './database/data-source';
import { DataDirLockedError } from './database/embedded-database';
import { HealthModule } from './health/health.module';
import { IpBlocksModule } from './ip-blocks/ip-blocks.module';
import { KeysModule } from './keys/keys.module';
import { loggerOptions } from './logging/logger-options';
import { MetricsModule } from './metrics/metrics.module';
import { MfaModule } from './mfa/mfa.module';
import { PasswordsModule } from './passwords/passwords.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { RevocationsModule } from './revocations/revocations.module';
import { RolesModule } from './roles/roles.module';
import { TokensModule } from './tokens/tokens.module';
import { UsersModule } from './users/users.module';
import { UserAdminModule } from './user-admin/user-admin.module';

/** The identity service, assembled from one validated configuration. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRootAsync({
          // A locked DATA_DIR will not free itself; other start-up failures get two more tries.
          useFactory: () => ({
            retryAttempts: 2,
            retryDelay: 2000,
            toRetry: (error: Error) => !(error instanceof DataDirLockedError),
          }),
          dataSourceFactory: () => createDataSource(config),
        }),
        {
          ...PasswordsModule.forRoot({
            kind: config.passwordHash,
            bcryptCost: config.bcryptCost,
            minLength: config.passwordMinLength,
          }),
          global: true,
        },
        MetricsModule,
        AlertsModule,
        AuditModule,
        RolesModule,
        KeysModule,
        TokensModule,
        UsersModule,
        // Before AuthModule: the rate-limit guard runs first, so that refused tokens count too.
        RateLimitsModule,
        AuthModule,
        AuthzModule,
        RevocationsModule,
        AccountModule,
        UserAdminModule,
        PrivacyModule,
        MfaModule,
        IpBlocksModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
