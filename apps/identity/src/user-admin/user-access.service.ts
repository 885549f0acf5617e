import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { Page } from '../common/pagination';
import type { RequestContext } from '../common/request-context';
import { MfaChallengesService } from '../mfa/mfa-challenges.service';
import { MfaResetService } from '../mfa/mfa-reset.service';
import { ADMIN_ROLE, RolesService } from '../roles/roles.service';
import { SessionView, toSessionView } from '../sessions/session-view';
import { SessionsService } from '../sessions/sessions.service';
import { AdminChangeService } from './admin-change.service';
import { AdminSafeguards } from './admin-safeguards';
import type { AdminUserView } from './admin-user-view';
import { withDefaultRole } from './admin-users.service';
import { UserDirectory } from './user-directory';

/** Administrators manage what lets a user in: roles, the second factor, sessions. */
@Injectable()
export class UserAccessService {
  constructor(
    private readonly roles: RolesService,
    private readonly directory: UserDirectory,
    private readonly changes: AdminChangeService,
    private readonly safeguards: AdminSafeguards,
    private readonly sessions: SessionsService,
    private readonly challenges: MfaChallengesService,
    private readonly mfaReset: MfaResetService,
  ) {}

  /**
   * Makes `roles` (plus `user`) exactly the user's roles. The caller must hold every permission
   * of each role added and each role removed; 409 `last_admin` for demoting the last admin.
   * The guard re-reads roles, so a removed role stops working on admin routes at once, and the
   * next refreshed token lacks it.
   */
  async replaceRoles(
    principal: Principal,
    userId: string,
    roles: string[],
    context: RequestContext,
  ): Promise<AdminUserView> {
    const wanted = withDefaultRole(roles);
    return this.changes.apply(
      principal,
      userId,
      context,
      { mayRemoveAdmin: true },
      async ({ manager, target, record }) => {
        const added = wanted.filter((name) => !target.roles.includes(name));
        const removed = target.roles.filter((name) => !wanted.includes(name));
        await this.roles.assertMayGrant(principal.roles, [...added, ...removed], manager);
        if (removed.includes(ADMIN_ROLE)) await this.safeguards.assertNotLastAdmin(manager, target);

        if (added.length > 0 || removed.length > 0) {
          await this.roles.replaceUserRoles(manager, target.id, wanted);
          await manager.query('UPDATE users SET updated_at = now() WHERE id = $1', [target.id]);
          await record('role.changed', { added, removed });
        }
        return this.directory.get(target.id, manager);
      },
    );
  }

  /** Removes the user's TOTP factor and recovery codes; answers the same whether they had one. */
  async resetMfa(
    principal: Principal,
    userId: string,
    context: RequestContext,
  ): Promise<AdminUserView> {
    return this.changes.apply(
      principal,
      userId,
      context,
      { mayRemoveAdmin: false },
      async ({ manager, target, record }) => {
        const factorRemoved = await this.mfaReset.reset(manager, target.id);
        await record('mfa.reset', { factorRemoved });
        return this.directory.get(target.id, manager);
      },
    );
  }

  /** The user's live sessions, newest first; 404 for an unknown user. */
  async sessionsOf(userId: string): Promise<Page<SessionView>> {
    const user = await this.directory.get(userId);
    const sessions = await this.sessions.activeOf(user.id);
    return {
      items: sessions.map(toSessionView),
      next_cursor: null,
    };
  }

  /** Ends every session of the user, and logins waiting for their second factor. */
  async endSessions(principal: Principal, userId: string, context: RequestContext) {
    await this.changes.apply(
      principal,
      userId,
      context,
      { mayRemoveAdmin: false },
      async ({ manager, target, record }) => {
        const reason = 'revoked_by_admin';
        const sessionsRevoked = await this.sessions.revokeAllOf(manager, target.id, reason);
        await this.challenges.voidAll(manager, target.id);
        await record('session.revoked', { reason, sessionsRevoked });
      },
    );
  }
}
