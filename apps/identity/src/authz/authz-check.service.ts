import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { actorIdOf, Principal } from '../auth/principal';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { refusedAsUndefined } from '../keys/material/jwt-errors';
import { MetricsService } from '../metrics/metrics.service';
import { holdsPermission } from '../roles/permission-match';
import { RolesService } from '../roles/roles.service';
import { SessionsService } from '../sessions/sessions.service';
import { AccessTokensService } from '../tokens/access-tokens.service';
import type { AuthzCheckDto, AuthzCheckResult } from './authz-check.dto';
import { SubjectAccess, subjectAccess } from './subject-access';

/** What a service client needs to ask about users. */
export const AUTHZ_CHECK = 'authz:check';

/** The second factor a user with a confirmed TOTP factor could present; without one, none. */
const amrOfFactor = (access: SubjectAccess) => (access.mfaEnabled ? ['pwd', 'otp'] : ['pwd']);

function refusal(subject: string | null, permissions: string[]): AuthzCheckResult {
  return {
    subject,
    allowed: false,
    results: Object.fromEntries(permissions.map((permission) => [permission, false])),
  };
}

/**
 * Answers whether a user holds permissions, from their roles as they are now. A user asks about
 * itself, with the step-up of its own session. A service holding `authz:check` asks by `token`
 * (verified, and its session alive, with that session's step-up) or by `subject` (user id); by
 * subject there is no session, so roles that need a second factor count only when the user has
 * a confirmed TOTP factor. A disabled or unknown user, and a bad token, are granted nothing.
 * A database error is thrown (503), never taken for an answer.
 */
@Injectable()
export class AuthzCheckService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: RolesService,
    private readonly tokens: AccessTokensService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /** Throws 403 `forbidden` for a caller that may not ask this, 400 for a service's bad target. */
  async check(
    principal: Principal,
    body: AuthzCheckDto,
    context: RequestContext,
  ): Promise<AuthzCheckResult> {
    const result = await this.decide(principal, body, context);
    this.metrics.countPermissionCheck('check', result.allowed);
    return result;
  }

  private async decide(
    principal: Principal,
    body: AuthzCheckDto,
    context: RequestContext,
  ): Promise<AuthzCheckResult> {
    const { permissions } = body;
    // The pipe lets an explicit null through as "absent"; treat it so here too.
    const subject = body.subject ?? undefined;
    const token = body.token ?? undefined;
    if (principal.kind === 'user') {
      if (subject !== undefined || token !== undefined) {
        throw await this.denied(principal, context, 'A user may ask only about itself.');
      }
      return this.judge(principal.userId, permissions, () => principal.claims.amr ?? []);
    }

    if (!(await this.roles.allows(principal.roles, [AUTHZ_CHECK]))) {
      throw await this.denied(principal, context, `Asking about users needs ${AUTHZ_CHECK}.`);
    }

    if ((subject === undefined) === (token === undefined)) {
      throw Problem.validation(
        [{ field: 'subject', message: 'send exactly one of subject and token' }],
        'Name the user by subject or by token, not both.',
      );
    }

    if (subject !== undefined) return this.judge(subject, permissions, amrOfFactor);
    return this.judgeByToken(token as string, permissions);
  }

  private async judgeByToken(token: string, permissions: string[]): Promise<AuthzCheckResult> {
    const claims = await this.tokens.verify(token).catch(refusedAsUndefined);
    // Only a person's token has a session; a service's token names no user to judge.
    if (!claims?.sid) return refusal(null, permissions);
    if (!(await this.sessions.isActive(claims.sid, claims.sub))) return refusal(null, permissions);
    return this.judge(claims.sub, permissions, () => claims.amr ?? []);
  }

  private async judge(
    subject: string,
    permissions: string[],
    amrOf: (access: SubjectAccess) => string[],
  ): Promise<AuthzCheckResult> {
    const access = await subjectAccess(this.dataSource.manager, subject);
    if (!access?.enabled) return refusal(subject, permissions);

    const { granted } = this.roles.effectiveRoles(access.roles, amrOf(access));
    const held = await this.roles.grantedBy(granted);
    const results = Object.fromEntries(
      permissions.map((permission) => [permission, holdsPermission(held, permission)]),
    );
    return { subject, allowed: Object.values(results).every(Boolean), results };
  }

  /** A refused question is audited like any refused authorization. */
  private async denied(principal: Principal, context: RequestContext, detail: string) {
    await this.audit.record(
      {
        type: 'authz.denied',
        outcome: 'failure',
        actorId: actorIdOf(principal),
        details: { method: 'POST', route: '/v1/authz/check' },
      },
      context,
    );
    return Problem.forbidden(detail);
  }
}
