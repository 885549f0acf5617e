import { Module } from '@nestjs/common';
import { ClientAuthentication } from './client-authentication';
import { ClientsAdminController } from './clients-admin.controller';
import { ClientsAdminService } from './clients-admin.service';
import { ClientsService } from './clients.service';

@Module({
  controllers: [ClientsAdminController],
  providers: [ClientsService, ClientsAdminService, ClientAuthentication],
  exports: [ClientsService, ClientAuthentication],
})
export class ClientsModule {}
