import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { UserPrincipal } from '../auth/principal';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { PasswordHasher } from '../passwords/password-hasher';
import { AdminSafeguards } from '../user-admin/admin-safeguards';
import { UsersService } from '../users/users.service';

/**
 * A user erases their own account (GDPR article 17): with the password, in one transaction, the
 * user row goes and with it (by cascade) their sessions, refresh tokens, factors, recovery codes,
 * challenges, roles and audit key. The audit trail keeps its events, unreadable where they held
 * the user's personal data. The last enabled admin cannot erase themselves (409).
 */
@Injectable()
export class ErasureService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly safeguards: AdminSafeguards,
    private readonly audit: AuditService,
  ) {}

  async eraseSelf(principal: UserPrincipal, password: string, context: RequestContext) {
    const { userId } = principal;
    const stored = await this.users.passwordHashOf(userId);
    const verdict = stored ? await this.hasher.verify(password, stored) : undefined;
    if (!stored || !verdict?.ok) {
      await this.audit.record(
        { type: 'user.erase_failed', outcome: 'failure', actorId: userId, subjectId: userId },
        context,
      );
      throw new Problem(
        403,
        'invalid_credentials',
        'Invalid credentials',
        'The password is wrong.',
      );
    }

    await this.dataSource.transaction(async (manager) => {
      const target = await this.safeguards.lockTarget(manager, userId, true);
      await this.safeguards.assertNotLastAdmin(manager, target);
      // Recorded first, so that its own address is sealed under the key about to be destroyed.
      await this.audit.record(
        {
          type: 'user.deleted',
          outcome: 'success',
          actorId: userId,
          subjectId: userId,
          details: { via: 'self', roles: target.roles },
        },
        context,
        manager,
      );
      await this.audit.shred(manager, userId);
      await manager.query('DELETE FROM users WHERE id = $1', [userId]);
    });
  }
}
