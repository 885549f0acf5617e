import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { isUuid } from '../common/uuid';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** The personal data an audit event may hold about the person who caused it. */
export interface AuditPii {
  ip: string | null;
  userAgent: string | null;
}

/** How an event's personal data is stored: sealed under its owner's key, or in the clear. */
export interface StoredPii {
  ip: string | null;
  userAgent: string | null;
  piiOwner: string | null;
  piiSealed: string | null;
}

/** A stored event's personal data as read back: `erased` when its owner's key is gone. */
export interface ReadablePii extends AuditPii {
  erased: boolean;
}

/**
 * Crypto-shredding for the audit trail. The IP and user agent of an event caused by a user (the
 * actor, else the subject when there is no actor) are sealed under a key of that user's own,
 * itself sealed under MASTER_KEY; the key row is deleted with the user, after which the events
 * remain, countable, but their personal data cannot be read. Events no user caused (a login for
 * an unknown email, a service's call) keep theirs in the clear, for incident response.
 */
@Injectable()
export class AuditPrivacy {
  private readonly master: SecretBox;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.master = new SecretBox(config.masterKey as Buffer);
  }

  /** The user whose key seals an event's personal data, if a user caused it. */
  ownerOf(actorId: string | null, subjectId: string | null): string | null {
    if (actorId) return isUuid(actorId) ? actorId : null;
    return subjectId && isUuid(subjectId) ? subjectId : null;
  }

  /**
   * Seals `pii` for storage under the owner's key, made on first use, in one statement. When the
   * owner is no longer a user (erased, or erased in this very transaction) nothing is stored.
   */
  async seal(
    manager: EntityManager,
    owner: string | null,
    eventId: string,
    pii: AuditPii,
  ): Promise<StoredPii> {
    if (!owner) return { ...pii, piiOwner: null, piiSealed: null };
    if (pii.ip === null && pii.userAgent === null) {
      return { ip: null, userAgent: null, piiOwner: null, piiSealed: null };
    }
    const fresh = this.master.seal(randomBytes(32), `audit-key:${owner}`);
    const [row]: { sealed_key: string }[] = await manager.query(
      `WITH made AS (
         INSERT INTO audit_keys (user_id, sealed_key)
         SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)
         ON CONFLICT (user_id) DO NOTHING RETURNING sealed_key)
       SELECT sealed_key FROM made UNION ALL SELECT sealed_key FROM audit_keys WHERE user_id = $1
       LIMIT 1`,
      [owner, fresh],
    );
    if (!row) return { ip: null, userAgent: null, piiOwner: owner, piiSealed: null };
    const userBox = new SecretBox(this.master.open(row.sealed_key, `audit-key:${owner}`));
    return {
      ip: null,
      userAgent: null,
      piiOwner: owner,
      piiSealed: userBox.seal(JSON.stringify(pii), `audit-event:${eventId}`),
    };
  }

  /**
   * Opens a stored event's personal data. `sealedKey` is its owner's key row as read with the
   * event (a LEFT JOIN on audit_keys): an owner without one has been erased.
   */
  open(
    row: { id: string; ip: string | null; user_agent: string | null; pii_sealed: string | null },
    owner: string | null,
    sealedKey: string | null,
  ): ReadablePii {
    if (!owner) return { ip: row.ip, userAgent: row.user_agent, erased: false };
    if (!sealedKey || !row.pii_sealed) return { ip: null, userAgent: null, erased: !sealedKey };
    const userBox = new SecretBox(this.master.open(sealedKey, `audit-key:${owner}`));
    const pii = JSON.parse(userBox.open(row.pii_sealed, `audit-event:${row.id}`).toString('utf8'));
    return { ip: pii.ip ?? null, userAgent: pii.userAgent ?? null, erased: false };
  }
}
