import type { EntityManager } from 'typeorm';
import { decodeCursor, Page, pageOf } from '../common/pagination';
import { Problem } from '../common/problem';
import { isUuid } from '../common/uuid';
import { CLIENT_ROLE_NAMES, CLIENTS_AND_ROLES } from './clients.service';

/** What the admin API shows of a client; never its secret nor the secret's hash. */
export interface ClientView {
  id: string;
  clientId: string;
  name: string;
  roles: string[];
  createdAt: string;
  updatedAt: string;
}

/** A client as it is created or re-keyed: the one time its secret is shown. */
export type ClientWithSecret = ClientView & { clientSecret: string };

interface ClientViewRow {
  id: string;
  client_id: string;
  name: string;
  roles: string[];
  created_at: Date | string;
  updated_at: Date | string;
  /** created_at in UTC to the microsecond: a Date would cut it to milliseconds and skip rows. */
  position: string;
}

const POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

// Newest first; (created_at, id) is unique, so the walk neither repeats nor skips a client.
const SELECT_VIEWS = `
  SELECT c.id, c.client_id, c.name, c.created_at, c.updated_at, ${CLIENT_ROLE_NAMES},
         to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS position
  FROM ${CLIENTS_AND_ROLES}`;
const GROUP_AND_ORDER = `GROUP BY c.id ORDER BY c.created_at DESC, c.id DESC`;

function toView(row: ClientViewRow): ClientView {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    roles: row.roles,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The position a cursor holds; a cursor this list did not give out is a 400. */
function positionOf(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, 2);
  if (!POSITION.test(at) || !isUuid(id)) {
    throw Problem.validation([
      { field: 'cursor', message: 'cursor is not one this list gave out' },
    ]);
  }
  return [at, id];
}

/** One page of clients, newest first, after the client the cursor names. */
export async function clientPage(
  manager: EntityManager,
  limit: number,
  cursor?: string,
): Promise<Page<ClientView>> {
  const [at, id] = cursor ? positionOf(cursor) : [null, null];
  const rows: ClientViewRow[] = await manager.query(
    `${SELECT_VIEWS}
     WHERE $1::timestamp IS NULL OR (c.created_at, c.id) < ($1::timestamp AT TIME ZONE 'UTC', $2::uuid)
     ${GROUP_AND_ORDER} LIMIT $3`,
    [at, id, limit + 1],
  );
  return pageOf(rows, limit, (row) => [row.position, row.id], toView);
}

/** The client with this row id, or undefined (also for an id that is not a uuid). */
export async function clientView(
  manager: EntityManager,
  id: string,
): Promise<ClientView | undefined> {
  if (!isUuid(id)) return undefined;
  const rows: ClientViewRow[] = await manager.query(
    `${SELECT_VIEWS} WHERE c.id = $1 ${GROUP_AND_ORDER}`,
    [id],
  );
  return rows[0] && toView(rows[0]);
}
