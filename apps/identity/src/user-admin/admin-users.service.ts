import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { actorIdOf, Principal } from '../auth/principal';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { MfaChallengesService } from '../mfa/mfa-challenges.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import { DEFAULT_ROLE, RolesService } from '../roles/roles.service';
import { SessionsService } from '../sessions/sessions.service';
import { looksLikeEmail, normalizeEmail } from '../users/email';
import { UsersService } from '../users/users.service';
import { AdminChangeService, ChangeStep } from './admin-change.service';
import { AdminSafeguards } from './admin-safeguards';
import type { AdminUserView } from './admin-user-view';
import type { CreateUserDto, UpdateUserDto } from './admin-users.dto';
import { UserDirectory } from './user-directory';

/** The role names a user ends up with: `user` always, each name once. */
export function withDefaultRole(roles: string[]): string[] {
  return [...new Set([DEFAULT_ROLE, ...roles])];
}

/** Administrators create, change, disable and delete accounts. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly roles: RolesService,
    private readonly directory: UserDirectory,
    private readonly changes: AdminChangeService,
    private readonly safeguards: AdminSafeguards,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly challenges: MfaChallengesService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates an account holding `user` and the given roles. Without a password nobody can sign in
   * to it until one is set. Throws 400 (email, password policy, unknown role), 403 for a role
   * granting a permission the caller lacks, 409 `email_taken`.
   */
  async create(
    principal: Principal,
    input: CreateUserDto,
    context: RequestContext,
  ): Promise<AdminUserView> {
    const email = normalizeEmail(input.email);
    if (!looksLikeEmail(email)) {
      throw Problem.validation([{ field: 'email', message: 'email must be an email address' }]);
    }

    if (input.password !== undefined) this.policy.enforce(input.password, 'password');

    const roles = withDefaultRole(input.roles ?? []);
    const passwordHash =
      input.password === undefined ? null : await this.hasher.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      await this.roles.assertMayGrant(principal.roles, roles, manager);
      const user = await this.users.create(manager, {
        email,
        passwordHash,
        displayName: input.displayName?.trim() || null,
      });
      await this.roles.replaceUserRoles(manager, user.id, roles);
      await this.audit.record(
        {
          type: 'user.created',
          outcome: 'success',
          actorId: actorIdOf(principal),
          subjectId: user.id,
          details: { via: 'admin', roles, passwordSet: passwordHash !== null },
        },
        context,
        manager,
      );
      return this.directory.get(user.id, manager);
    });
  }

  /**
   * Renames, disables or enables the user. Disabling ends every session and open MFA challenge
   * of theirs in the same transaction; 409 `last_admin` when it would leave no enabled admin.
   */
  async update(
    principal: Principal,
    userId: string,
    input: UpdateUserDto,
    context: RequestContext,
  ): Promise<AdminUserView> {
    const disabling = input.disabled === true;
    return this.changes.apply(
      principal,
      userId,
      context,
      { mayRemoveAdmin: disabling },
      async (step) => {
        const { manager, target } = step;
        if (disabling) await this.safeguards.assertNotLastAdmin(manager, target);

        if (input.displayName !== undefined) {
          await manager.query(
            'UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1',
            [target.id, input.displayName?.trim() || null],
          );
          await step.record('user.updated', { fields: ['displayName'] });
        }
        if (disabling && !target.disabled) await this.disable(step);
        if (input.disabled === false && target.disabled) {
          await manager.query(
            'UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = $1',
            [target.id],
          );
          await step.record('user.enabled');
        }
        return this.directory.get(target.id, manager);
      },
    );
  }

  /** Deletes the user with their sessions, factors, codes and roles (by FK cascade); 409 `last_admin`. */
  async remove(principal: Principal, userId: string, context: RequestContext): Promise<void> {
    await this.changes.apply(principal, userId, context, { mayRemoveAdmin: true }, async (step) => {
      await this.safeguards.assertNotLastAdmin(step.manager, step.target);
      // Recorded first and without the email: the trail outlives the account, not its data.
      await step.record('user.deleted', { roles: step.target.roles });
      await this.audit.shred(step.manager, step.target.id);
      await step.manager.query('DELETE FROM users WHERE id = $1', [step.target.id]);
    });
  }

  private async disable({ manager, target, record }: ChangeStep): Promise<void> {
    await manager.query('UPDATE users SET disabled_at = now(), updated_at = now() WHERE id = $1', [
      target.id,
    ]);
    const sessionsRevoked = await this.sessions.revokeAllOf(manager, target.id, 'user_disabled');
    await this.challenges.voidAll(manager, target.id);
    await record('user.disabled', { sessionsRevoked });
  }
}
