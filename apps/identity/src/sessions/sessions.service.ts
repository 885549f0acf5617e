import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { changedRows } from '../database/changed-rows';
import { randomToken, sha256Base64url } from '../common/crypto/hashing';
import { OAuthError } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { isUuid } from '../common/uuid';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { HeldRole } from '../roles/roles.service';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';

export type RevokeReason =
  | 'logout'
  | 'revoked_by_user'
  | 'revoked_by_admin'
  | 'password_changed'
  | 'refresh_token_reused'
  | 'user_disabled';

/**
 * The one rule for a live session (alias `s`): not revoked, expired or idle, its user enabled.
 * `idle` is the placeholder of the idle lifetime in seconds.
 */
const liveSession = (idle: string) => `s.revoked_at IS NULL AND s.expires_at > now()
  AND s.last_refreshed_at > now() - make_interval(secs => ${idle})
  AND EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id AND u.disabled_at IS NULL)`;

/** {@link liveSession} for TypeORM's query builder, with the parameter `:idle`. */
export const LIVE_SESSION = liveSession(':idle');

/**
 * Renews a live session, issues its next refresh token and reads the roles its user holds, in
 * one statement. The UPDATE locks the session row as `SELECT ... FOR UPDATE` would, and checks
 * liveness again once it holds it, so a revocation committed meanwhile wins. No row comes back
 * when the session is not live.
 */
const RENEW_LIVE_SESSION = `WITH renewed AS (
    UPDATE sessions s SET last_refreshed_at = now()
    WHERE s.id = $1 AND ${liveSession('$2')}
    RETURNING s.id, s.user_id, s.amr),
  issued AS (
    INSERT INTO refresh_tokens (session_id, token_hash) SELECT id, $3 FROM renewed)
  SELECT id, user_id, amr,
    ARRAY(SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
          WHERE ur.user_id = renewed.user_id ORDER BY r.name) AS roles,
    ARRAY(SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
          WHERE ur.user_id = renewed.user_id AND r.mfa_required) AS mfa_roles
  FROM renewed`;

/** A refresh token as we hand them out: 32 random bytes, base64url. */
const REFRESH_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What a token response needs to know about the session it speaks for. */
export type SessionRef = Pick<Session, 'id' | 'userId' | 'amr'>;

export interface IssuedRefresh {
  session: SessionRef;
  refreshToken: string;
  /** The roles the user holds, when they were read with the session; else the caller reads them. */
  heldRoles?: HeldRole[];
}

/**
 * Sessions are refresh-token families. Each refresh retires the presented token and issues its
 * successor; presenting a retired token again revokes the whole family (RFC 9700 §4.14.2).
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Opens a session and its first refresh token, inside the caller's transaction. */
  async start(
    manager: EntityManager,
    userId: string,
    amr: string[],
    context: RequestContext,
  ): Promise<IssuedRefresh> {
    const session = await manager.save(
      manager.create(Session, {
        userId,
        amr,
        ip: context.ip,
        userAgent: context.userAgent,
        lastRefreshedAt: new Date(),
        expiresAt: new Date(Date.now() + this.config.refreshTokenTtl * 1000),
      }),
    );
    return { session, refreshToken: await this.issueRefreshToken(manager, session.id) };
  }

  /**
   * Exchanges a refresh token for its successor and hands both to `respond`, inside the same
   * transaction: if building the response fails, the old token is not retired, so the client's
   * retry is not mistaken for reuse. Throws `invalid_grant` when the token is unknown, retired,
   * or its session has ended; a retired token also revokes its session.
   */
  async rotate<T>(
    presented: string,
    context: RequestContext,
    respond: (manager: EntityManager, issued: IssuedRefresh) => Promise<T>,
  ): Promise<T> {
    if (!REFRESH_TOKEN_SHAPE.test(presented)) throw OAuthError.invalidGrant();
    const hash = sha256Base64url(presented);

    const outcome = await this.dataSource.transaction(async (manager) => {
      // One conditional update: of two concurrent refreshes, on any number of instances,
      // only one finds used_at still null; the other waits for its row lock and finds none.
      const retired = await changedRows<{ session_id: string }>(
        manager,
        `UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL
         RETURNING session_id`,
        [hash],
      );
      if (retired.length === 0) return this.handleRetired(manager, hash, context);

      const renewed = await this.renewLiveSession(manager, retired[0].session_id);
      if (!renewed) return { kind: 'dead' as const };
      const { session } = renewed;
      await this.audit.record(
        {
          type: 'token.refreshed',
          outcome: 'success',
          actorId: session.userId,
          subjectId: session.userId,
          details: { sessionId: session.id },
        },
        context,
        manager,
      );
      const response = await respond(manager, renewed);
      return { kind: 'rotated' as const, response };
    });

    if (outcome.kind !== 'rotated') throw OAuthError.invalidGrant();
    return outcome.response;
  }

  private async handleRetired(manager: EntityManager, hash: string, context: RequestContext) {
    const known = await manager.findOne(RefreshToken, { where: { tokenHash: hash } });
    if (!known) return { kind: 'unknown' as const };

    const revoked = await this.revokeWith(manager, known.sessionId, 'refresh_token_reused');
    if (revoked) {
      await this.audit.record(
        {
          type: 'token.reuse_detected',
          outcome: 'failure',
          actorId: revoked.userId,
          subjectId: revoked.userId,
          details: { sessionId: known.sessionId },
        },
        context,
        manager,
      );
    }
    return { kind: 'reused' as const };
  }

  /** The session renewed with its next refresh token, when it is alive; else undefined. */
  private async renewLiveSession(
    manager: EntityManager,
    sessionId: string,
  ): Promise<IssuedRefresh | undefined> {
    const refreshToken = randomToken(32);
    const rows: {
      id: string;
      user_id: string;
      amr: string[];
      roles: string[];
      mfa_roles: string[];
    }[] = await manager.query(RENEW_LIVE_SESSION, [
      sessionId,
      this.config.sessionIdleTtl,
      sha256Base64url(refreshToken),
    ]);
    const row = rows[0];
    if (!row) return undefined;
    const needsMfa = new Set(row.mfa_roles);
    return {
      session: { id: row.id, userId: row.user_id, amr: row.amr },
      refreshToken,
      heldRoles: row.roles.map((name) => ({ name, mfaRequired: needsMfa.has(name) })),
    };
  }

  private async issueRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
    const token = randomToken(32);
    await manager.insert(RefreshToken, { sessionId, tokenHash: sha256Base64url(token) });
    return token;
  }

  /** The live session a refresh token belongs to, whether or not that token is still current. */
  async sessionOfRefreshToken(presented: string): Promise<string | undefined> {
    if (!REFRESH_TOKEN_SHAPE.test(presented)) return undefined;
    const token = await this.dataSource.manager.findOne(RefreshToken, {
      where: { tokenHash: sha256Base64url(presented) },
    });
    return token?.sessionId;
  }

  /** True while the session is neither revoked nor expired and its user is enabled. */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    if (!isUuid(sessionId) || !isUuid(userId)) return false;
    const live = await this.dataSource
      .createQueryBuilder(Session, 's')
      .select('1', 'live')
      .where('s.id = :sessionId AND s.user_id = :userId', { sessionId, userId })
      .andWhere(LIVE_SESSION, { idle: this.config.sessionIdleTtl })
      .getRawOne();
    return live !== undefined;
  }

  /** The user's live sessions, newest first. */
  async activeOf(userId: string): Promise<Session[]> {
    return this.dataSource
      .createQueryBuilder(Session, 's')
      .where('s.user_id = :userId', { userId })
      .andWhere(LIVE_SESSION, { idle: this.config.sessionIdleTtl })
      .orderBy('s.created_at', 'DESC')
      .getMany();
  }

  /**
   * Revokes one session and records `session.revoked`. With `userId`, only a session of that
   * user is touched. Returns false when there was no live session to revoke.
   */
  async revoke(
    sessionId: string,
    reason: RevokeReason,
    context: RequestContext,
    userId?: string,
  ): Promise<boolean> {
    if (!isUuid(sessionId)) return false;
    return this.dataSource.transaction(async (manager) => {
      const revoked = await this.revokeWith(manager, sessionId, reason, userId);
      if (!revoked) return false;
      await this.audit.record(
        {
          type: 'session.revoked',
          outcome: 'success',
          actorId: userId ?? revoked.userId,
          subjectId: revoked.userId,
          details: { sessionId, reason },
        },
        context,
        manager,
      );
      return true;
    });
  }

  /** Revokes every live session of the user but `exceptSessionId`, in the caller's transaction. */
  async revokeAllOf(
    manager: EntityManager,
    userId: string,
    reason: RevokeReason,
    exceptSessionId?: string,
  ): Promise<number> {
    const rows = await changedRows(
      manager,
      `UPDATE sessions SET revoked_at = now(), revoke_reason = $2
       WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
       RETURNING id`,
      [userId, reason, exceptSessionId ?? null],
    );
    return rows.length;
  }

  private async revokeWith(
    manager: EntityManager,
    sessionId: string,
    reason: RevokeReason,
    userId?: string,
  ): Promise<{ userId: string } | undefined> {
    const rows = await changedRows<{ user_id: string }>(
      manager,
      `UPDATE sessions SET revoked_at = now(), revoke_reason = $2
       WHERE id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR user_id = $3::uuid)
       RETURNING user_id`,
      [sessionId, reason, userId ?? null],
    );
    return rows[0] ? { userId: rows[0].user_id } : undefined;
  }
}
