import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MfaChallengesService } from './mfa-challenges.service';
import { removeFactor } from './totp-factor-store';

/**
 * An administrator's MFA reset, for a user who lost their authenticator: the TOTP factor (pending
 * or active) and the recovery codes go, and open login challenges die, so a password step begun
 * before the reset cannot be finished with an old code.
 */
@Injectable()
export class MfaResetService {
  constructor(private readonly challenges: MfaChallengesService) {}

  /** Runs in the caller's transaction; returns whether the user had a factor to remove. */
  async reset(manager: EntityManager, userId: string): Promise<boolean> {
    const removed = await removeFactor(manager, userId);
    await this.challenges.voidAll(manager, userId);
    return removed;
  }
}
