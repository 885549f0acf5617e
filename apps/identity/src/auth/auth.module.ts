import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { APP_GUARD } from '@nestjs/core';
import { MfaModule } from '../mfa/mfa.module';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { MfaStepService } from './mfa-step.service';
import { PasswordLoginService } from './password-login.service';
import { RegistrationService } from './registration.service';

@Module({
  imports: [TokensModule, UsersModule, MfaModule, RateLimitsModule, ClientsModule],
  controllers: [AuthController],
  providers: [
    RegistrationService,
    PasswordLoginService,
    MfaStepService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
})
export class AuthModule {}
