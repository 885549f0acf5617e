import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { UsersService } from './users.service';

@Module({
  imports: [SessionsModule],
  controllers: [MeController],
  providers: [UsersService, MeService, BootstrapAdminService],
  exports: [UsersService],
})
export class UsersModule {}
