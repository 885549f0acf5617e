import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { requestContextOf } from '../common/request-context';
import { refusedAsUndefined } from '../keys/material/jwt-errors';
import { AccessTokensService, bearerTokenOf } from '../tokens/access-tokens.service';
import { RateLimitRefusal } from './rate-limit-refusal';
import { routeLimitOf } from './route-limits';

/**
 * The global rate-limit guard; it runs before the access guard, so refused tokens count too.
 * LOGIN_IP_LIMIT per client IP on the login routes; API_RATE_LIMIT per caller (the subject of a
 * valid access token, else the IP) on the others but health, discovery and metrics. The IP is
 * Fastify's `request.ip` (X-Forwarded-For only from TRUST_PROXY), IPv6 counted per /64.
 * Throws 429 `rate_limited` with Retry-After.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly tokens: AccessTokensService,
    private readonly refusal: RateLimitRefusal,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: FastifyRequest): Promise<string> {
    const subject = routeLimitOf(request) === 'api' ? await this.subjectOf(request) : undefined;
    return subject ? `sub:${subject}` : `ip:${await super.getTracker(request)}`;
  }

  /** One counter per caller and limit across routes (the library's default is one per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Only a window's first refusal is audited: a flood of refused requests writes nothing.
    const first = detail.totalHits === detail.limit + 1;
    await this.refusal.refuse(
      routeLimitOf(request) ?? 'api',
      detail.timeToBlockExpire,
      requestContextOf(request),
      first,
    );
  }

  private async subjectOf(request: FastifyRequest): Promise<string | undefined> {
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) return undefined;
    const claims = await this.tokens.verifyForRequest(request, token).catch(refusedAsUndefined);
    return claims?.sub;
  }
}
