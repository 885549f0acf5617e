import { Module } from '@nestjs/common';
import { LiveSessionsGauge } from './live-sessions-gauge';
import { SessionsService } from './sessions.service';

@Module({ providers: [SessionsService, LiveSessionsGauge], exports: [SessionsService] })
export class SessionsModule {}
