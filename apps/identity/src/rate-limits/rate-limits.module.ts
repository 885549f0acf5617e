import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { AppConfig, RateLimit } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { TokensModule } from '../tokens/tokens.module';
import { AccountAttempts } from './account-attempts';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitRefusal } from './rate-limit-refusal';
import { RouteLimit, routeLimitOf } from './route-limits';
import { RateLimitCountersModule } from './counters.module';
import { throttlerStorage } from './throttler-storage';
import { WINDOW_COUNTERS, WindowCounters } from './window-counters';

/** A named throttler that counts only on the routes that answer to its limit. */
function throttler(name: RouteLimit, { limit, windowSeconds }: RateLimit): ThrottlerOptions {
  return {
    name,
    limit,
    ttl: windowSeconds * 1000,
    skipIf: (context) => routeLimitOf(context.switchToHttp().getRequest<FastifyRequest>()) !== name,
  };
}

function throttlerOptions(config: AppConfig, counters: WindowCounters): ThrottlerModuleOptions {
  return {
    storage: throttlerStorage(counters),
    // The 429 carries Retry-After itself; per-throttler X-RateLimit-* headers would only add noise.
    setHeaders: false,
    throttlers: [throttler('login_ip', config.loginIpLimit), throttler('api', config.apiRateLimit)],
  };
}

/**
 * The contract's three limits: the global {@link RateLimitGuard} for the per-IP and per-caller
 * ones, {@link AccountAttempts} for the login steps' per-account one. Import it before AuthModule,
 * so that its guard runs before the access guard.
 */
@Module({
  imports: [
    TokensModule,
    RateLimitCountersModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitCountersModule],
      inject: [APP_CONFIG, WINDOW_COUNTERS],
      useFactory: throttlerOptions,
    }),
  ],
  providers: [RateLimitRefusal, AccountAttempts, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [AccountAttempts],
})
export class RateLimitsModule {}
