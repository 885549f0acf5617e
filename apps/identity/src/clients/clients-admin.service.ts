import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { actorIdOf, Principal } from '../auth/principal';
import { DEFAULT_PAGE_SIZE, Page } from '../common/pagination';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { isUuid } from '../common/uuid';
import { changedRows } from '../database/changed-rows';
import { RoleChanges } from '../roles/role-changes';
import { RolesService } from '../roles/roles.service';
import { newClientId, newClientSecret } from './client-secrets';
import { clientPage, clientView, ClientView, ClientWithSecret } from './client-views';
import { ServiceClient } from './service-client.entity';

/** The admin side of service clients: list, create, re-key, delete. Every change is audited. */
@Injectable()
export class ClientsAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: RolesService,
    private readonly audit: AuditService,
    private readonly changes: RoleChanges,
  ) {}

  list(limit = DEFAULT_PAGE_SIZE, cursor?: string): Promise<Page<ClientView>> {
    return clientPage(this.dataSource.manager, limit, cursor);
  }

  /** Registers a client holding `roleNames`; 403 if the caller lacks any of their permissions. */
  async create(
    principal: Principal,
    name: string,
    roleNames: string[],
    context: RequestContext,
  ): Promise<ClientWithSecret> {
    const roles = [...new Set(roleNames)];
    return this.dataSource.transaction(async (manager) => {
      await this.roles.assertMayGrant(principal.roles, roles, manager);

      const clientId = newClientId();
      const { secret, hash } = newClientSecret();
      const inserted = await manager.insert(ServiceClient, { clientId, name, secretHash: hash });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await this.roles.replaceClientRoles(manager, id, roles);

      await this.audit.record(
        {
          type: 'client.created',
          outcome: 'success',
          actorId: actorIdOf(principal),
          subjectId: clientId,
          details: { id, name, roles },
        },
        context,
        manager,
      );
      return { ...(await this.viewOrNotFound(manager, id)), clientSecret: secret };
    });
  }

  /**
   * Gives the client a new secret; the old one stops working with this commit. The caller must
   * hold the client's permissions, since whoever knows the secret can act as the client.
   */
  async rotateSecret(
    principal: Principal,
    id: string,
    context: RequestContext,
  ): Promise<ClientWithSecret> {
    if (!isUuid(id)) throw Problem.notFound('There is no client with this id.');
    return this.dataSource.transaction(async (manager) => {
      const { secret, hash } = newClientSecret();
      await manager.query(
        `UPDATE clients SET secret_hash = $2, secret_rotated_at = now(), updated_at = now()
         WHERE id = $1`,
        [id, hash],
      );
      const view = await this.viewOrNotFound(manager, id);
      await this.roles.assertMayGrant(principal.roles, view.roles, manager);

      await this.audit.record(
        {
          type: 'client.secret_rotated',
          outcome: 'success',
          actorId: actorIdOf(principal),
          subjectId: view.clientId,
          details: { id },
        },
        context,
        manager,
      );
      return { ...view, clientSecret: secret };
    });
  }

  /**
   * Deletes the client. Its tokens stop working at once on this instance, and on the others as
   * soon as the announcement reaches them (see RoleChanges), like a change of roles.
   */
  async remove(principal: Principal, id: string, context: RequestContext): Promise<void> {
    if (!isUuid(id)) throw Problem.notFound('There is no client with this id.');
    await this.dataSource.transaction(async (manager) => {
      const rows = await changedRows<{ client_id: string; name: string }>(
        manager,
        `DELETE FROM clients WHERE id = $1 RETURNING client_id, name`,
        [id],
      );
      const deleted = rows[0];
      if (!deleted) throw Problem.notFound('There is no client with this id.');

      await this.audit.record(
        {
          type: 'client.deleted',
          outcome: 'success',
          actorId: actorIdOf(principal),
          subjectId: deleted.client_id,
          details: { id, name: deleted.name },
        },
        context,
        manager,
      );
    });
    await this.changes.announce();
  }

  private async viewOrNotFound(manager: EntityManager, id: string): Promise<ClientView> {
    const view = await clientView(manager, id);
    if (!view) throw Problem.notFound('There is no client with this id.');
    return view;
  }
}
