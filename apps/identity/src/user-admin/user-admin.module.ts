import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AdminChangeService } from './admin-change.service';
import { AdminSafeguards } from './admin-safeguards';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersService } from './admin-users.service';
import { UserAccessService } from './user-access.service';
import { UserDirectory } from './user-directory';

/** The admin API over user accounts (/v1/admin/users), composed from lower modules. */
@Module({
  imports: [UsersModule, SessionsModule, MfaModule],
  controllers: [AdminUsersController],
  providers: [
    UserDirectory,
    AdminSafeguards,
    AdminChangeService,
    AdminUsersService,
    UserAccessService,
  ],
  exports: [AdminSafeguards],
})
export class UserAdminModule {}
