import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Problem } from '../common/problem';
import { changedRows } from '../database/changed-rows';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { KeysService } from '../keys/keys.service';
import { signJwt } from '../keys/material/jwt';
import { refusedAsUndefined } from '../keys/material/jwt-errors';

/** Its own type and audience, so that no route but the MFA step accepts it (RFC 8725 §3.11). */
export const MFA_TOKEN_TYP = 'mfa+jwt';
export const MFA_TOKEN_TTL_SECONDS = 300;
export const MFA_MAX_FAILURES = 5;

export interface MfaChallenge {
  id: string;
  userId: string;
}

/**
 * The step between a good password and a second factor: a signed `mfa_token` naming a row of
 * `mfa_challenges`, which dies after five minutes, five wrong codes, or its one success.
 */
@Injectable()
export class MfaChallengesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeysService,
  ) {}

  private get audience(): string {
    return `${this.config.issuer}/v1/auth/mfa`;
  }

  async open(userId: string): Promise<string> {
    const id = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + MFA_TOKEN_TTL_SECONDS;
    await this.dataSource.query(
      `INSERT INTO mfa_challenges (id, user_id, expires_at) VALUES ($1, $2, to_timestamp($3))`,
      [id, userId, expiresAt],
    );
    const claims = {
      iss: this.config.issuer,
      sub: userId,
      aud: this.audience,
      iat: now,
      exp: expiresAt,
      jti: id,
    };
    return signJwt(claims, this.keys.signingKey(), MFA_TOKEN_TYP);
  }

  /** The live challenge an `mfa_token` names; throws 401 `invalid_mfa_token` otherwise. */
  async resolve(token: string): Promise<MfaChallenge> {
    const claims = await this.keys
      .verify(token, { issuer: this.config.issuer, audience: this.audience, typ: MFA_TOKEN_TYP })
      .catch(refusedAsUndefined);
    if (!claims?.jti) throw invalidMfaToken();

    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM mfa_challenges WHERE id = $1 AND user_id = $2 AND completed_at IS NULL
         AND failed_attempts < $3 AND expires_at > now()`,
      [claims.jti, claims.sub, MFA_MAX_FAILURES],
    );
    if (rows.length === 0) throw invalidMfaToken();
    return { id: claims.jti, userId: claims.sub };
  }

  /**
   * Counts an attempt before its code is checked, so that parallel guesses on one token cannot
   * pass five; {@link complete} gives a successful one back. Throws 401 `invalid_mfa_token` when
   * the challenge was used up, completed or expired meanwhile.
   */
  async beginAttempt(challenge: MfaChallenge): Promise<void> {
    const rows = await changedRows(
      this.dataSource.manager,
      `UPDATE mfa_challenges SET failed_attempts = failed_attempts + 1
       WHERE id = $1 AND completed_at IS NULL AND failed_attempts < $2 AND expires_at > now()
       RETURNING id`,
      [challenge.id, MFA_MAX_FAILURES],
    );
    if (rows.length === 0) throw invalidMfaToken();
  }

  /** Ends every open challenge of the user, in the caller's transaction (a password change). */
  async voidAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE mfa_challenges SET completed_at = now() WHERE user_id = $1 AND completed_at IS NULL`,
      [userId],
    );
  }

  /**
   * Marks the challenge done and gives back the attempt {@link beginAttempt} counted for the
   * code that succeeded; false when another request completed it first or it expired.
   */
  async complete(manager: EntityManager, challenge: MfaChallenge): Promise<boolean> {
    const rows = await changedRows(
      manager,
      `UPDATE mfa_challenges SET completed_at = now(), failed_attempts = failed_attempts - 1
       WHERE id = $1 AND completed_at IS NULL AND expires_at > now()
       RETURNING id`,
      [challenge.id],
    );
    return rows.length === 1;
  }
}

function invalidMfaToken(): Problem {
  return new Problem(
    401,
    'invalid_mfa_token',
    'Invalid MFA token',
    'The sign-in step has expired or was used up; sign in with your password again.',
  );
}
