import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { actorIdOf, CurrentPrincipal, Principal } from '../auth/principal';
import { AUTHZ_CHECK } from '../authz/authz-check.service';
import { Problem } from '../common/problem';
import { Ctx, RequestContext } from '../common/request-context';
import { RequirePermissions } from '../roles/require-permissions.decorator';
import { RevocationsAnswer, RevocationsQuery } from './revocations.dto';
import { RevocationsService } from './revocations.service';

@Controller('v1/revocations')
export class RevocationsController {
  constructor(
    private readonly revocations: RevocationsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * For services that verify tokens on their own: sessions revoked and users disabled or
   * deleted since the cursor. Only service clients: the feed names every user who lost access,
   * which is no user's business, whatever roles they hold.
   */
  @Get()
  @RequirePermissions(AUTHZ_CHECK)
  @Header('cache-control', 'no-store')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RevocationsQuery,
    @Ctx() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RevocationsAnswer> {
    if (principal.kind !== 'client') {
      await this.audit.record(
        {
          type: 'authz.denied',
          outcome: 'failure',
          actorId: actorIdOf(principal),
          details: { method: 'GET', route: '/v1/revocations' },
        },
        context,
      );
      throw Problem.forbidden('The revocation feed is for service clients.');
    }
    if (query.since === undefined) return this.revocations.start();

    // A held answer ends early when its client goes away, so that it stops being polled for.
    const gone = new AbortController();
    const onClose = () => gone.abort();
    reply.raw.once('close', onClose);
    try {
      return await this.revocations.since(query.since, query.wait ?? 0, gone.signal);
    } finally {
      reply.raw.off('close', onClose);
    }
  }
}
