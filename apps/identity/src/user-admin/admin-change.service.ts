import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditDetails } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { actorIdOf, Principal } from '../auth/principal';
import type { RequestContext } from '../common/request-context';
import { AdminSafeguards, LockedUser } from './admin-safeguards';

/** What a change to one user works with, inside its transaction. */
export interface ChangeStep {
  manager: EntityManager;
  target: LockedUser;
  /** Records a successful audit event by the caller about the target, in the transaction. */
  record(type: string, details?: AuditDetails): Promise<void>;
}

/**
 * Runs an admin's change to one user as one transaction: lock the target, check that the caller
 * outranks them, then the change and its audit events, which commit or roll back together.
 */
@Injectable()
export class AdminChangeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly safeguards: AdminSafeguards,
    private readonly audit: AuditService,
  ) {}

  /**
   * Throws 404 for an unknown user and 403 when the target holds a permission the caller lacks,
   * before `work` runs. Pass `mayRemoveAdmin` when the change could leave fewer enabled admins.
   */
  async apply<T>(
    principal: Principal,
    userId: string,
    context: RequestContext,
    options: { mayRemoveAdmin: boolean },
    work: (step: ChangeStep) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const target = await this.safeguards.lockTarget(manager, userId, options.mayRemoveAdmin);
      await this.safeguards.assertOutranks(principal, target, manager);

      const record = (type: string, details: AuditDetails = {}) =>
        this.audit.record(
          {
            type,
            outcome: 'success',
            actorId: actorIdOf(principal),
            subjectId: target.id,
            details,
          },
          context,
          manager,
        );
      return work({ manager, target, record });
    });
  }
}
