import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { UsersModule } from '../users/users.module';
import { MfaChallengesService } from './mfa-challenges.service';
import { MfaController } from './mfa.controller';
import { MfaResetService } from './mfa-reset.service';
import { MfaService } from './mfa.service';

/** TOTP second factors, recovery codes, and the challenges of the login's second step. */
@Module({
  imports: [UsersModule, KeysModule, RateLimitsModule],
  controllers: [MfaController],
  providers: [MfaService, MfaChallengesService, MfaResetService],
  exports: [MfaService, MfaChallengesService, MfaResetService],
})
export class MfaModule {}
