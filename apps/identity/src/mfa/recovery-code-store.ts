import { EntityManager, IsNull } from 'typeorm';
import { changedRows } from '../database/changed-rows';
import { RecoveryCode } from './recovery-code.entity';
import { hashRecoveryCode, isRecoveryCode, newRecoveryCodes } from './recovery-codes';

/** Replaces every recovery code of the user, in the caller's transaction; returns the new ones. */
export async function replaceRecoveryCodes(
  manager: EntityManager,
  userId: string,
  key: Buffer,
): Promise<string[]> {
  const codes = newRecoveryCodes();
  await manager.delete(RecoveryCode, { userId });
  await manager.insert(
    RecoveryCode,
    codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code, key) })),
  );
  return codes;
}

/** Marks the code used if it is one of the user's unused codes; returns how many remain. */
export async function consumeRecoveryCode(
  manager: EntityManager,
  userId: string,
  code: string,
  key: Buffer,
): Promise<{ remaining: number } | undefined> {
  if (!isRecoveryCode(code)) return undefined;

  // One conditional update: of two concurrent uses of a code, only one finds used_at still null.
  const used = await changedRows(
    manager,
    `UPDATE recovery_codes SET used_at = now()
     WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
    [userId, hashRecoveryCode(code, key)],
  );
  if (used.length === 0) return undefined;

  const remaining = await manager.count(RecoveryCode, { where: { userId, usedAt: IsNull() } });
  return { remaining };
}
