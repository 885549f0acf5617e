import { Module } from '@nestjs/common';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { UsersService } from './users.service';

@Module({ providers: [UsersService, BootstrapAdminService], exports: [UsersService] })
export class UsersModule {}
