import { Module } from '@nestjs/common';
import { ClientAuthentication } from './client-authentication';
import { ClientsAdminController } from './clients-admin.controller';
import { ClientsAdminService } from './clients-admin.service';
import { ClientsService } from './clients.service';
import { LiveClientCache } from './live-client-cache';

@Module({
  controllers: [ClientsAdminController],
  providers: [ClientsService, LiveClientCache, ClientsAdminService, ClientAuthentication],
  exports: [ClientsService, LiveClientCache, ClientAuthentication],
})
export class ClientsModule {}
