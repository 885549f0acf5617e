import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Problem } from '../common/problem';
import { changedRows } from '../database/changed-rows';
import { isUuid } from '../common/uuid';
import { DEFAULT_ROLE, RolesService } from '../roles/roles.service';
import { normalizeEmail } from './email';
import { User } from './user.entity';
import { toUserView, UserView } from './user-view';

export interface NewUser {
  email: string;
  passwordHash: string | null;
  displayName?: string | null;
}

const UNIQUE_VIOLATION = '23505';

/** The user record: lookups, creation (with the default role) and updates. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: RolesService,
  ) {}

  async findById(id: string, manager = this.dataSource.manager): Promise<User | null> {
    return isUuid(id) ? manager.findOne(User, { where: { id } }) : null;
  }

  /** The user with their password hash (normally never selected), by any form of the email. */
  async findForLogin(email: string): Promise<User | null> {
    return this.dataSource
      .createQueryBuilder(User, 'u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  async passwordHashOf(id: string, manager = this.dataSource.manager): Promise<string | null> {
    const row = await manager
      .createQueryBuilder(User, 'u')
      .select('u.passwordHash', 'hash')
      .where('u.id = :id', { id })
      .getRawOne<{ hash: string | null }>();
    return row?.hash ?? null;
  }

  /** Creates the user holding the default role, in the caller's transaction; 409 `email_taken`. */
  async create(manager: EntityManager, input: NewUser): Promise<User> {
    let user: User;
    try {
      user = await manager.save(
        manager.create(User, {
          email: normalizeEmail(input.email),
          passwordHash: input.passwordHash,
          displayName: input.displayName ?? null,
        }),
      );
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string })?.code === UNIQUE_VIOLATION
      ) {
        throw Problem.conflict('email_taken', 'An account with this email already exists.');
      }
      throw error;
    }
    await this.roles.grant(manager, user.id, DEFAULT_ROLE);
    return user;
  }

  /**
   * Replaces the password hash only if it is still `expected`, so that of two concurrent
   * changes (or a change and a login's rehash) the later one cannot silently undo the other.
   */
  async replacePasswordHash(
    id: string,
    expected: string,
    next: string,
    manager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows = await changedRows(
      manager,
      `UPDATE users SET password_hash = $3, updated_at = now()
       WHERE id = $1 AND password_hash = $2 RETURNING id`,
      [id, expected, next],
    );
    return rows.length === 1;
  }

  /** Locks the enabled user's row if its password hash is still `expected`; false otherwise. */
  async lockIfUnchanged(manager: EntityManager, id: string, expected: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM users WHERE id = $1 AND password_hash = $2 AND disabled_at IS NULL
       FOR UPDATE`,
      [id, expected],
    );
    return rows.length === 1;
  }

  async setDisplayName(id: string, displayName: string | null): Promise<void> {
    await this.dataSource.manager.update(User, id, { displayName });
  }

  async view(user: User, manager = this.dataSource.manager): Promise<UserView> {
    const roles = await this.roles.rolesOf(user.id, manager);
    return toUserView(
      user,
      roles.map((role) => role.name),
    );
  }
}
