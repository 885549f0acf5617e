import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, pageOf } from '../common/pagination';
import { Problem } from '../common/problem';
import { isUuid } from '../common/uuid';
import { normalizeEmail } from '../users/email';
import { AdminUserRow, AdminUserView, toAdminUserView, USER_COLUMNS } from './admin-user-view';
import type { ListUsersQuery } from './admin-users.dto';

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * Reads users for the admin API: one query for the users, one for the roles of all of them, so
 * a page costs two queries whatever its size.
 */
@Injectable()
export class UserDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page in (created_at, id) order; throws 400 for a cursor this list did not give out. */
  async list(query: ListUsersQuery): Promise<Page<AdminUserView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];

    const email = query.email === undefined ? '' : normalizeEmail(query.email);
    if (email) where.push(`u.email LIKE ${param(likePrefix(email))} ESCAPE '\\'`);
    if (query.role !== undefined) {
      where.push(`EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = u.id AND r.name = ${param(query.role)})`);
    }
    if (query.cursor !== undefined) {
      const [at, id] = afterKey(query.cursor);
      where.push(`(u.created_at, u.id) > (${param(at)}::timestamptz, ${param(id)}::uuid)`);
    }

    const rows: AdminUserRow[] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users u
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY u.created_at, u.id LIMIT ${param(limit + 1)}`,
      params,
    );
    const roles = await this.rolesByUser(
      this.dataSource.manager,
      rows.slice(0, limit).map((row) => row.id),
    );
    return pageOf(
      rows,
      limit,
      (row) => [row.cursor_at, row.id],
      (row) => toAdminUserView(row, roles.get(row.id) ?? []),
    );
  }

  /** The user by id, or undefined for an unknown or malformed id. */
  async find(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AdminUserView | undefined> {
    if (!isUuid(id)) return undefined;
    const [row]: AdminUserRow[] = await manager.query(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`,
      [id],
    );
    if (!row) return undefined;
    const roles = await this.rolesByUser(manager, [row.id]);
    return toAdminUserView(row, roles.get(row.id) ?? []);
  }

  /** Like {@link find}, but a missing user is a 404 `not_found`. */
  async get(id: string, manager?: EntityManager): Promise<AdminUserView> {
    const user = await this.find(id, manager);
    if (!user) throw Problem.notFound('No user has this id.');
    return user;
  }

  private async rolesByUser(manager: EntityManager, userIds: string[]) {
    const byUser = new Map<string, string[]>();
    if (userIds.length === 0) return byUser;
    const rows: { user_id: string; name: string }[] = await manager.query(
      `SELECT ur.user_id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
       WHERE ur.user_id = ANY($1::uuid[]) ORDER BY r.name`,
      [userIds],
    );
    for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.name]);
    return byUser;
  }
}

/** The LIKE pattern for "starts with", with LIKE's own metacharacters taken literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The (created_at, id) a cursor holds, checked so that nothing malformed reaches SQL. */
function afterKey(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, 2);
  // A round trip through Date refuses impossible dates that would otherwise fail in SQL.
  const valid =
    CURSOR_AT.test(at) &&
    isUuid(id) &&
    !Number.isNaN(Date.parse(at)) &&
    new Date(at).toISOString().slice(0, 23) === at.slice(0, 23);
  if (!valid) {
    throw Problem.validation([
      { field: 'cursor', message: 'cursor is not one this list gave out' },
    ]);
  }
  return [at, id];
}
