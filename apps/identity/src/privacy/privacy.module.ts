import { Module } from '@nestjs/common';
import { UserAdminModule } from '../user-admin/user-admin.module';
import { UsersModule } from '../users/users.module';
import { ErasureService } from './erasure.service';
import { PrivacyController } from './privacy.controller';
import { UserExporter } from './user-export';

/** GET /v1/me/export and DELETE /v1/me; above users and user-admin, whose rules it reuses. */
@Module({
  imports: [UsersModule, UserAdminModule],
  controllers: [PrivacyController],
  providers: [UserExporter, ErasureService],
})
export class PrivacyModule {}
