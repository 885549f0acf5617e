import { Global, Module } from '@nestjs/common';
import { AuditEventsController } from './audit-events.controller';
import { AuditPrivacy } from './audit-privacy';
import { AuditReader } from './audit-reader';
import { AuditService } from './audit.service';

@Global()
@Module({
  controllers: [AuditEventsController],
  providers: [AuditService, AuditPrivacy, AuditReader],
  exports: [AuditService, AuditReader],
})
export class AuditModule {}
