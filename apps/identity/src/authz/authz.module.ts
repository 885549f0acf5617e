import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module';
import { AuthzCheckService } from './authz-check.service';
import { AuthzController } from './authz.controller';

/** The permission endpoint other services ask; above tokens and roles, so neither imports it. */
@Module({
  imports: [TokensModule],
  controllers: [AuthzController],
  providers: [AuthzCheckService],
})
export class AuthzModule {}
