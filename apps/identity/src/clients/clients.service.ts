import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A registered service client and the roles it holds now. */
export interface LiveClient {
  id: string;
  clientId: string;
  roles: string[];
}

/** A client with the hash its secret must match, for authenticating it. */
export interface ClientCredentialsRecord {
  client: LiveClient;
  secretHash: string;
}

/** The select item for a client's role names: sorted, and an empty list when it holds none. */
export const CLIENT_ROLE_NAMES = `COALESCE(array_agg(r.name ORDER BY r.name) FILTER (WHERE r.name IS NOT NULL), '{}') AS roles`;
/** Clients (`c`) with their roles (`r`); a query over it groups by `c.id`. */
export const CLIENTS_AND_ROLES = `clients c
  LEFT JOIN client_roles cr ON cr.client_id = c.id
  LEFT JOIN roles r ON r.id = cr.role_id`;

interface ClientRow {
  id: string;
  client_id: string;
  secret_hash: string;
  roles: string[];
}

/** Service clients: the other services that authenticate with a client id and secret. */
@Injectable()
export class ClientsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The client with this public id and its current roles, in one indexed query; undefined once deleted. */
  async liveClient(clientId: string): Promise<LiveClient | undefined> {
    return (await this.credentialsOf(clientId))?.client;
  }

  /** {@link liveClient} with its secret's hash; never hand the hash beyond authentication. */
  async credentialsOf(clientId: string): Promise<ClientCredentialsRecord | undefined> {
    const rows: ClientRow[] = await this.dataSource.query(
      `SELECT c.id, c.client_id, c.secret_hash, ${CLIENT_ROLE_NAMES}
       FROM ${CLIENTS_AND_ROLES}
       WHERE c.client_id = $1
       GROUP BY c.id`,
      [clientId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      client: { id: row.id, clientId: row.client_id, roles: row.roles },
      secretHash: row.secret_hash,
    };
  }
}
