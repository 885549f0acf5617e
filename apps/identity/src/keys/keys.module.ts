import { Module } from '@nestjs/common';
import { DiscoveryController } from './discovery.controller';
import { KeysService } from './keys.service';

@Module({ controllers: [DiscoveryController], providers: [KeysService], exports: [KeysService] })
export class KeysModule {}
