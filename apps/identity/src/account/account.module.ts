import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';

/** Self-service: what signed-in users do to their own account, composed from lower modules. */
@Module({
  imports: [UsersModule, SessionsModule, MfaModule],
  controllers: [MeController],
  providers: [MeService],
})
export class AccountModule {}
