import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { KeysModule } from '../keys/keys.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccessTokensService } from './access-tokens.service';
import { ClientCredentialsGrant } from './client-credentials-grant';
import { TokenIntrospection } from './introspection';
import { SessionTokensService } from './session-tokens.service';
import { TokenController } from './token.controller';

@Module({
  imports: [KeysModule, SessionsModule, ClientsModule],
  controllers: [TokenController],
  providers: [
    AccessTokensService,
    SessionTokensService,
    ClientCredentialsGrant,
    TokenIntrospection,
  ],
  exports: [AccessTokensService, SessionTokensService, SessionsModule],
})
export class TokensModule {}
