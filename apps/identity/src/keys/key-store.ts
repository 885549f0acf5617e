import type { EntityManager } from 'typeorm';
import type { SecretBox } from '../common/crypto/secret-box';
import type { SigningAlg } from '../config/config';
import { generateSigningKey } from './material/key-pair';
import { SigningKey, SigningKeyState } from './signing-key.entity';

/** Serialises key changes across instances (pg_advisory_xact_lock and its try- form). */
export const KEY_LOCK = 0x7e55e4a;

/**
 * Makes a key pair and stores it, the private part sealed under MASTER_KEY with the kid as
 * associated data. An `active` key signs at once; a `next` key is only published.
 */
export async function insertKey(
  manager: EntityManager,
  box: SecretBox,
  alg: SigningAlg,
  state: Extract<SigningKeyState, 'active' | 'next'>,
): Promise<string> {
  const generated = await generateSigningKey(alg);
  await manager.insert(SigningKey, {
    kid: generated.kid,
    alg: generated.alg,
    publicJwk: generated.publicJwk,
    privateKey: box.seal(generated.privateKeyPkcs8, generated.kid),
    state,
    activatedAt: state === 'active' ? new Date() : null,
  });
  return generated.kid;
}

/**
 * Stops the active key (or, with `state: 'next'`, the scheduled ones) from signing; it stays in
 * the JWKS for `publishForSeconds` so that the tokens it signed keep verifying, 0 to withdraw it.
 * Returns the kids retired.
 */
export async function retireKeys(
  manager: EntityManager,
  state: Extract<SigningKeyState, 'active' | 'next'>,
  publishForSeconds: number,
): Promise<string[]> {
  const rows: { kid: string }[] = await manager.query(
    `SELECT kid FROM signing_keys WHERE state = $1 FOR UPDATE`,
    [state],
  );
  await manager.query(
    `UPDATE signing_keys SET state = 'retired', retired_at = now(),
       publish_until = now() + make_interval(secs => $2)
     WHERE state = $1`,
    [state, publishForSeconds],
  );
  return rows.map((row) => row.kid);
}
