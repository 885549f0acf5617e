import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccessTokensService } from './access-tokens.service';
import { SessionTokensService } from './session-tokens.service';
import { TokenController } from './token.controller';

@Module({
  imports: [KeysModule, SessionsModule],
  controllers: [TokenController],
  providers: [AccessTokensService, SessionTokensService],
  exports: [AccessTokensService, SessionTokensService, SessionsModule],
})
export class TokensModule {}
