import { Module } from '@nestjs/common';
import { RevocationFeed } from './revocation-feed';
import { RevocationPruner } from './revocation-pruner';
import { RevocationWaiters } from './revocation-waiters';
import { RevocationsController } from './revocations.controller';
import { RevocationsService } from './revocations.service';

/**
 * The revocation feed for services that verify tokens on their own. The rows come from database
 * triggers (see the Revocations migration), so no other module needs to know about it.
 */
@Module({
  controllers: [RevocationsController],
  providers: [RevocationFeed, RevocationWaiters, RevocationPruner, RevocationsService],
})
export class RevocationsModule {}
