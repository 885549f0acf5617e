import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A registered service client and the roles it holds now. */
export interface LiveClient {
  id: string;
  clientId: string;
  roles: string[];
}

/** Service clients: the other services that authenticate with a client id and secret. */
@Injectable()
export class ClientsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The client with this public id and its current roles, in one indexed query; undefined once deleted. */
  async liveClient(clientId: string): Promise<LiveClient | undefined> {
    const rows: { id: string; client_id: string; roles: string[] }[] = await this.dataSource.query(
      `SELECT c.id, c.client_id,
              COALESCE(array_agg(r.name ORDER BY r.name) FILTER (WHERE r.name IS NOT NULL), '{}') AS roles
       FROM clients c
       LEFT JOIN client_roles cr ON cr.client_id = c.id
       LEFT JOIN roles r ON r.id = cr.role_id
       WHERE c.client_id = $1
       GROUP BY c.id`,
      [clientId],
    );
    const row = rows[0];
    return row && { id: row.id, clientId: row.client_id, roles: row.roles };
  }
}
