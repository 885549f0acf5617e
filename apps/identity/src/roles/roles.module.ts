import { Global, Module } from '@nestjs/common';
import { PermissionCache } from './permission-cache';
import { RoleChanges } from './role-changes';
import { RolesAdminController } from './roles-admin.controller';
import { RolesAdminService } from './roles-admin.service';
import { RolesFileService } from './roles-file.service';
import { RolesService } from './roles.service';

@Global()
@Module({
  controllers: [RolesAdminController],
  providers: [PermissionCache, RoleChanges, RolesService, RolesAdminService, RolesFileService],
  exports: [RolesService, PermissionCache, RoleChanges],
})
export class RolesModule {}
