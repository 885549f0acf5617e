import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { UserPrincipal } from '../auth/principal';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { toSessionView } from '../sessions/session-view';
import type { ChangePasswordDto } from './me.dto';
import { toUserView, UserView } from '../users/user-view';
import { MfaChallengesService } from '../mfa/mfa-challenges.service';
import { MfaService } from '../mfa/mfa.service';
import { RolesService } from '../roles/roles.service';

export interface MeView extends UserView {
  heldBackRoles: { name: string; reason: string }[];
}
import { UsersService } from '../users/users.service';

/** What a signed-in user does to their own account. */
@Injectable()
export class MeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly roles: RolesService,
    private readonly mfa: MfaService,
    private readonly challenges: MfaChallengesService,
  ) {}

  /**
   * The profile with every role held, and the roles this session may not use yet because they
   * need a second factor it did not pass (step-up), with what to do about it.
   */
  async view(principal: UserPrincipal): Promise<MeView> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw Problem.unauthenticated('invalid_token');

    const held = await this.roles.rolesOf(user.id);
    const mfaEnabled = await this.mfa.isEnabled(user.id);
    const { heldBack } = this.roles.effectiveRoles(held, principal.claims.amr ?? []);
    const reason = mfaEnabled
      ? 'This role needs a second factor: sign in again with your authenticator code.'
      : 'This role needs a second factor: enroll one at /v1/me/mfa/totp, then sign in again.';
    return {
      ...toUserView(
        user,
        held.map((role) => role.name),
        mfaEnabled,
      ),
      heldBackRoles: heldBack.map((name) => ({ name, reason })),
    };
  }

  async rename(principal: UserPrincipal, displayName: string | null): Promise<MeView> {
    await this.users.setDisplayName(principal.userId, displayName?.trim() || null);
    return this.view(principal);
  }

  /** Checks the current password, sets the new one and ends every other session, atomically. */
  async changePassword(
    principal: UserPrincipal,
    input: ChangePasswordDto,
    context: RequestContext,
  ) {
    const { userId, sessionId } = principal;
    const stored = await this.users.passwordHashOf(userId);
    const verdict = stored ? await this.hasher.verify(input.currentPassword, stored) : undefined;
    if (!stored || !verdict?.ok) {
      await this.audit.record(
        { type: 'password.change_failed', outcome: 'failure', actorId: userId, subjectId: userId },
        context,
      );
      throw new Problem(
        403,
        'invalid_credentials',
        'Invalid credentials',
        'The current password is wrong.',
      );
    }

    this.policy.enforce(input.newPassword, 'newPassword');

    const hash = await this.hasher.hash(input.newPassword);
    const changed = await this.dataSource.transaction(async (manager) => {
      // Only over the hash just verified: of two concurrent changes, the second is refused.
      if (!(await this.users.replacePasswordHash(userId, stored, hash, manager))) return false;
      const ended = await this.sessions.revokeAllOf(manager, userId, 'password_changed', sessionId);
      await this.challenges.voidAll(manager, userId);
      await this.audit.record(
        {
          type: 'password.changed',
          outcome: 'success',
          actorId: userId,
          subjectId: userId,
          details: { sessionsRevoked: ended },
        },
        context,
        manager,
      );
      return true;
    });
    if (!changed) {
      throw Problem.conflict('password_changed', 'The password was changed meanwhile; try again.');
    }
  }

  async sessionsOf(principal: UserPrincipal) {
    const sessions = await this.sessions.activeOf(principal.userId);
    return {
      items: sessions.map((s) => ({
        ...toSessionView(s),
        current: s.id === principal.sessionId,
      })),
      next_cursor: null,
    };
  }

  async endSession(principal: UserPrincipal, sessionId: string, context: RequestContext) {
    const revoked = await this.sessions.revoke(
      sessionId,
      'revoked_by_user',
      context,
      principal.userId,
    );
    if (!revoked) throw Problem.notFound('No live session of yours has this id.');
  }
}
