import type { EntityManager } from 'typeorm';
import { isUuid } from '../common/uuid';
import { changedRows } from '../database/changed-rows';
import { TotpFactor, TotpFactorState } from './totp-factor.entity';

export async function findFactor(
  manager: EntityManager,
  userId: string,
  state: TotpFactorState,
): Promise<TotpFactor | null> {
  if (!isUuid(userId)) return null;
  return manager.findOne(TotpFactor, { where: { userId, state } });
}

/** Stores a pending factor in place of any pending one; false when an active one exists. */
export async function savePendingFactor(
  manager: EntityManager,
  factor: { id: string; userId: string; sealedSecret: string },
): Promise<boolean> {
  // One statement replaces a pending factor but never an active one, even against a race.
  const rows: unknown[] = await manager.query(
    `INSERT INTO totp_factors (id, user_id, secret, state) VALUES ($1, $2, $3, 'pending')
     ON CONFLICT (user_id) DO UPDATE
       SET id = EXCLUDED.id, secret = EXCLUDED.secret, created_at = now(),
           last_used_step = NULL, activated_at = NULL
       WHERE totp_factors.state = 'pending'
     RETURNING id`,
    [factor.id, factor.userId, factor.sealedSecret],
  );
  return rows.length > 0;
}

/** Activates a pending factor with the step of its first code; false if it is no longer pending. */
export async function activateFactor(manager: EntityManager, id: string, step: number) {
  const rows = await changedRows(
    manager,
    `UPDATE totp_factors SET state = 'active', activated_at = now(), last_used_step = $2
     WHERE id = $1 AND state = 'pending' RETURNING id`,
    [id, step],
  );
  return rows.length > 0;
}

/** Records `step` as used; false when that step or a later one was already accepted. */
export async function claimStep(manager: EntityManager, id: string, step: number) {
  // One conditional update: a replayed code, even two concurrent submissions, cannot both win.
  const rows = await changedRows(
    manager,
    `UPDATE totp_factors SET last_used_step = $2
     WHERE id = $1 AND state = 'active' AND (last_used_step IS NULL OR last_used_step < $2)
     RETURNING id`,
    [id, step],
  );
  return rows.length > 0;
}

/** Deletes the user's factor and recovery codes; false when there was no factor. */
export async function removeFactor(manager: EntityManager, userId: string): Promise<boolean> {
  const removed = await changedRows(
    manager,
    'DELETE FROM totp_factors WHERE user_id = $1 RETURNING id',
    [userId],
  );
  await manager.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  return removed.length > 0;
}
