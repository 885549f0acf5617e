import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { RoleChanges } from './role-changes';
import { readRolesFile } from './roles-file';
import { insertRole, lockRole, recordRoleChange, RoleDefinition, rewriteRole } from './role-store';

/** Same number on every instance: instances starting together apply the file one at a time. */
const ROLES_FILE_LOCK = 0x7e55a2f;

/**
 * Applies ROLES_FILE at start, before the app serves: each listed role becomes exactly what the
 * file says; roles it does not list are left alone. Applying the same file again changes nothing
 * and records nothing. A missing or invalid file stops the start (a ConfigError).
 */
@Injectable()
export class RolesFileService implements OnApplicationBootstrap {
  private readonly logger = new Logger('RolesFile');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly changes: RoleChanges,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.rolesFile) return;
    const roles = readRolesFile(this.config.rolesFile);

    const changed = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ROLES_FILE_LOCK]);
      const applied: string[] = [];
      for (const role of roles) if (await this.apply(manager, role)) applied.push(role.name);
      return applied;
    });

    this.logger.log({ roles: roles.length, changed }, 'applied ROLES_FILE');
    if (changed.length > 0) await this.changes.announce();
  }

  /** Makes one role what the file says; true when that changed anything. */
  private async apply(manager: EntityManager, role: RoleDefinition): Promise<boolean> {
    const current = await lockRole(manager, role.name);
    if (!current && (await insertRole(manager, role))) {
      await this.record(manager, role.name, 'created', { added: role.permissions, removed: [] });
      return true;
    }
    // Not there a moment ago but now: an admin created it meanwhile, and the file still wins.
    const existing = current ?? (await lockRole(manager, role.name));
    const change = existing && (await rewriteRole(manager, existing, role));
    if (!change) return false;
    await this.record(manager, role.name, 'updated', change);
    return true;
  }

  private record(
    manager: EntityManager,
    role: string,
    action: 'created' | 'updated',
    change: { added: string[]; removed: string[] },
  ) {
    return recordRoleChange(this.audit, manager, {
      actorId: null,
      role,
      action,
      change,
      details: { source: 'ROLES_FILE' },
    });
  }
}
