import { Module } from '@nestjs/common';
import { DiscoveryController } from './discovery.controller';
import { KeyRotationService } from './key-rotation.service';
import { KeysAdminController } from './keys-admin.controller';
import { KeysService } from './keys.service';

@Module({
  controllers: [DiscoveryController, KeysAdminController],
  providers: [KeysService, KeyRotationService],
  exports: [KeysService, KeyRotationService],
})
export class KeysModule {}
