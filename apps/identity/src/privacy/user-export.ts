import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditReader } from '../audit/audit-reader';
import type { AuditEventView } from '../audit/audit-query';

/** The export holds at most this many audit events, newest first; more is said in the answer. */
const MAX_EXPORTED_EVENTS = 10_000;

export interface UserExport {
  exportedAt: string;
  profile: Record<string, unknown>;
  roles: string[];
  mfa: { totp: Record<string, unknown> | null; recoveryCodes: { total: number; unused: number } };
  sessions: Record<string, unknown>[];
  auditEvents: AuditEventView[];
  auditEventsTruncated: boolean;
}

/**
 * Every stored fact about one user (GDPR articles 15 and 20), read from each table that holds
 * one. Secrets are described, never copied: no password hash, no TOTP secret, no recovery code,
 * no refresh token. Listing the tables here, in one place, is what lets a reviewer check that
 * nothing is left out.
 */
@Injectable()
export class UserExporter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditReader,
  ) {}

  async exportOf(userId: string): Promise<UserExport | undefined> {
    const db = this.dataSource;
    const [profile] = await db.query(
      `SELECT id, email, display_name AS "displayName", password_hash IS NOT NULL AS "hasPassword",
              disabled_at AS "disabledAt", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM users WHERE id = $1`,
      [userId],
    );
    if (!profile) return undefined;
    const roles: { name: string; grantedAt: Date }[] = await db.query(
      `SELECT r.name, ur.created_at AS "grantedAt" FROM user_roles ur
       JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1 ORDER BY r.name`,
      [userId],
    );
    const [totp] = await db.query(
      `SELECT state, created_at AS "createdAt", activated_at AS "activatedAt"
       FROM totp_factors WHERE user_id = $1`,
      [userId],
    );
    const [codes] = await db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE used_at IS NULL)::int AS unused
       FROM recovery_codes WHERE user_id = $1`,
      [userId],
    );
    const sessions = await db.query(
      `SELECT id, amr, ip, user_agent AS "userAgent", created_at AS "createdAt",
              last_refreshed_at AS "lastRefreshedAt", expires_at AS "expiresAt",
              revoked_at AS "revokedAt", revoke_reason AS "revokeReason"
       FROM sessions WHERE user_id = $1 ORDER BY created_at DESC`,
      [userId],
    );
    const events = await this.audit.read(
      ['(e.actor_id = $1 OR e.subject_id = $1)'],
      [userId],
      MAX_EXPORTED_EVENTS + 1,
    );
    return {
      exportedAt: new Date().toISOString(),
      profile,
      roles: roles.map((role) => role.name),
      mfa: { totp: totp ?? null, recoveryCodes: codes },
      sessions,
      auditEvents: events.slice(0, MAX_EXPORTED_EVENTS),
      auditEventsTruncated: events.length > MAX_EXPORTED_EVENTS,
    };
  }
}
