import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { actorIdOf, Principal } from '../auth/principal';
import type { Page } from '../common/pagination';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { RoleChanges } from './role-changes';
import { permissionSet, PROTECTED_ROLES } from './role-rules';
import {
  deleteRole,
  insertRole,
  lockRole,
  recordRoleChange,
  RoleDefinition,
  roleInUse,
  RoleView,
  roleViews,
  rewriteRole,
  StoredRole,
} from './role-store';
import type { CreateRoleDto, UpdateRoleDto } from './roles-admin.dto';
import { RolesService } from './roles.service';

const notFound = () => Problem.notFound('There is no role by this name.');

/**
 * The admin API over roles. Nobody creates or widens a role beyond what they hold themselves, and
 * changing or deleting a role needs all of its current permissions too, so that a narrower admin
 * cannot take apart what they could not have built. Each change is one transaction with its
 * `role.changed` audit event; permission caches everywhere forget after it commits.
 */
@Injectable()
export class RolesAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: RolesService,
    private readonly audit: AuditService,
    private readonly changes: RoleChanges,
  ) {}

  async list(): Promise<Page<RoleView>> {
    return { items: await roleViews(this.dataSource.manager), next_cursor: null };
  }

  /** Every permission some role grants, each once. */
  async permissions(): Promise<Page<string>> {
    const rows: { permission: string }[] = await this.dataSource.query(
      `SELECT DISTINCT permission FROM role_permissions`,
    );
    return { items: permissionSet(rows.map((row) => row.permission)), next_cursor: null };
  }

  /** Throws 403 for a permission the caller lacks, 409 `role_exists` for a taken name. */
  async create(principal: Principal, body: CreateRoleDto, context: RequestContext) {
    const role: RoleDefinition = {
      name: body.name,
      description: body.description ?? '',
      mfaRequired: body.mfaRequired ?? false,
      permissions: permissionSet(body.permissions),
    };
    const view = await this.refusalAudited(principal, context, role.name, 'create', () =>
      this.dataSource.transaction(async (manager) => {
        await this.roles.assertMayHold(principal.roles, role.permissions, manager);

        if (!(await insertRole(manager, role))) {
          throw Problem.conflict('role_exists', 'A role by this name exists already.');
        }

        await recordRoleChange(this.audit, manager, {
          actorId: actorIdOf(principal),
          role: role.name,
          action: 'created',
          change: { added: role.permissions, removed: [] },
          context,
        });
        return this.viewOf(manager, role.name);
      }),
    );
    await this.changes.announce();
    return view;
  }

  /** Throws 404, 409 `role_protected` for a built-in role's permissions, or 403. */
  async update(principal: Principal, name: string, body: UpdateRoleDto, context: RequestContext) {
    const { view, changed } = await this.refusalAudited(principal, context, name, 'update', () =>
      this.dataSource.transaction(async (manager) => {
        const current = await lockRole(manager, name);
        if (!current) throw notFound();

        const next = {
          description: body.description ?? current.description,
          mfaRequired: body.mfaRequired ?? current.mfaRequired,
          permissions: body.permissions ? permissionSet(body.permissions) : current.permissions,
        };
        assertBuiltInKept(current, next);

        const touched = [...current.permissions, ...next.permissions];
        await this.roles.assertMayHold(principal.roles, touched, manager);

        const change = await rewriteRole(manager, current, next);
        if (change) {
          await recordRoleChange(this.audit, manager, {
            actorId: actorIdOf(principal),
            role: name,
            action: 'updated',
            change,
            context,
            details: { mfaRequired: next.mfaRequired },
          });
        }
        return { view: await this.viewOf(manager, name), changed: Boolean(change) };
      }),
    );
    if (changed) await this.changes.announce();
    return view;
  }

  /**
   * Throws 404, 409 `role_protected` for a built-in role, 403, or 409 `role_in_use` while a user
   * or client holds the role, unless `force` (which takes it from them).
   */
  async remove(principal: Principal, name: string, force: boolean, context: RequestContext) {
    await this.refusalAudited(principal, context, name, 'delete', () =>
      this.dataSource.transaction(async (manager) => {
        const current = await lockRole(manager, name);
        if (!current) throw notFound();

        if (PROTECTED_ROLES.includes(name)) {
          throw Problem.conflict('role_protected', 'The built-in admin and user roles stay.');
        }

        await this.roles.assertMayHold(principal.roles, current.permissions, manager);

        // The role row is locked: nobody can be granted it between this check and the delete.
        if (!force && (await roleInUse(manager, current.id))) {
          throw Problem.conflict(
            'role_in_use',
            'Users or clients hold this role; take it from them first, or delete with ?force=true.',
          );
        }

        await deleteRole(manager, current.id);
        await recordRoleChange(this.audit, manager, {
          actorId: actorIdOf(principal),
          role: name,
          action: 'deleted',
          change: { added: [], removed: current.permissions },
          context,
          details: { forced: force },
        });
      }),
    );
    await this.changes.announce();
  }

  /**
   * A refusal for lacking permissions is audited like the guard's, after the transaction has
   * rolled back (an event recorded inside it would vanish with it).
   */
  private async refusalAudited<T>(
    principal: Principal,
    context: RequestContext,
    role: string,
    action: 'create' | 'update' | 'delete',
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Problem && error.status === 403) {
        await this.audit.record(
          {
            type: 'authz.denied',
            outcome: 'failure',
            actorId: actorIdOf(principal),
            details: { role, action, reason: 'lacks_permissions' },
          },
          context,
        );
      }
      throw error;
    }
  }

  private async viewOf(manager: EntityManager, name: string): Promise<RoleView> {
    const [view] = await roleViews(manager, name);
    return view;
  }
}

/** Built-in roles keep their permissions and step-up rule (ADMIN_MFA_REQUIRED decides admin's). */
function assertBuiltInKept(current: StoredRole, next: Omit<RoleDefinition, 'name'>): void {
  if (!PROTECTED_ROLES.includes(current.name)) return;
  const samePermissions = next.permissions.join('\n') === current.permissions.join('\n');
  if (!samePermissions || next.mfaRequired !== current.mfaRequired) {
    throw Problem.conflict(
      'role_protected',
      'Only the description of the built-in admin and user roles can change.',
    );
  }
}
