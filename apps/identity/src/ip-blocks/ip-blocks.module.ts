import { Module } from '@nestjs/common';
import { IpBlocksController } from './ip-blocks.controller';
import { IpBlocksService } from './ip-blocks.service';

@Module({
  controllers: [IpBlocksController],
  providers: [IpBlocksService],
  exports: [IpBlocksService],
})
export class IpBlocksModule {}
