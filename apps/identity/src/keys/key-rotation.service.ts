import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SecretBox } from '../common/crypto/secret-box';
import type { RequestContext } from '../common/request-context';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { insertKey, KEY_LOCK, retireKeys } from './key-store';
import { GRACE_SECONDS, NEXT_KEY_LEAD_SECONDS, SCHEDULE_INTERVAL_MS } from './key-timing';
import { KeysService } from './keys.service';

export type ScheduleStep = 'idle' | 'busy' | 'prepared' | 'promoted';

/**
 * Changes which key signs. On schedule (KEY_ROTATION_DAYS): a `next` key is published first and
 * signs only once every JWKS cache has had time to fetch it; the old key then stays published
 * until its last token expires. By hand (a suspected compromise): a new key signs at once.
 * Every change holds the key lock, so one instance makes it and every other one loads it.
 */
@Injectable()
export class KeyRotationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Keys');
  private readonly box: SecretBox;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeysService,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.masterKey as Buffer);
  }

  onApplicationBootstrap(): void {
    if (this.config.keyRotationDays === 0) return;
    this.timer = setInterval(() => {
      this.rotateOnSchedule().catch((err) =>
        this.logger.warn({ err }, 'the scheduled key rotation check failed; it runs again soon'),
      );
    }, SCHEDULE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * One step of the schedule, run by every instance's timer: prepares a `next` key once the
   * active one is due within the lead time, and promotes it once it is due and the next key has
   * been published for the whole lead time. An instance that finds the lock taken does nothing.
   */
  async rotateOnSchedule(): Promise<ScheduleStep> {
    const days = this.config.keyRotationDays;
    if (days === 0) return 'idle';
    const step = await this.dataSource.transaction(async (manager): Promise<ScheduleStep> => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        KEY_LOCK,
      ]);
      if (!locked) return 'busy';
      const [due] = await manager.query(
        `SELECT activated_at + make_interval(days => $1) - make_interval(secs => $2) <= now() AS soon,
                activated_at + make_interval(days => $1) <= now() AS now
         FROM signing_keys WHERE state = 'active'`,
        [days, NEXT_KEY_LEAD_SECONDS],
      );
      if (!due?.soon) return 'idle';
      const [next] = await manager.query(
        `SELECT kid, created_at + make_interval(secs => $2) <= now() AS ripe
         FROM signing_keys WHERE state = 'next' AND alg = $1 ORDER BY created_at LIMIT 1`,
        [this.config.signingAlg, NEXT_KEY_LEAD_SECONDS],
      );
      if (!next) return this.prepare(manager);
      if (due.now && next.ripe) return this.promote(manager, next.kid);
      return 'idle';
    });
    if (step === 'prepared' || step === 'promoted') await this.keys.reload();
    return step;
  }

  /**
   * Makes a new key the signer at once, and drops any scheduled one. The previous key stays
   * published for one access-token lifetime, or is withdrawn now when `revokePrevious`.
   */
  async rotate(
    context?: RequestContext,
    revokePrevious = false,
    actorId: string | null = null,
  ): Promise<string> {
    const kid = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      await retireKeys(manager, 'next', 0);
      const retired = await retireKeys(manager, 'active', revokePrevious ? 0 : this.publishFor());
      const created = await insertKey(manager, this.box, this.config.signingAlg, 'active');
      await this.audit.record(
        {
          type: 'key.rotated',
          outcome: 'success',
          actorId,
          details: { kid: created, previous: retired, revokePrevious, trigger: 'manual' },
        },
        context,
        manager,
      );
      return created;
    });
    await this.keys.reload();
    return kid;
  }

  private async prepare(manager: EntityManager): Promise<ScheduleStep> {
    // A scheduled key of another algorithm (SIGNING_ALG changed meanwhile) will never sign.
    await retireKeys(manager, 'next', 0);
    const kid = await insertKey(manager, this.box, this.config.signingAlg, 'next');
    await this.audit.record(
      { type: 'key.scheduled', outcome: 'success', details: { kid } },
      undefined,
      manager,
    );
    this.logger.log({ kid }, 'published the next signing key');
    return 'prepared';
  }

  private async promote(manager: EntityManager, kid: string): Promise<ScheduleStep> {
    const retired = await retireKeys(manager, 'active', this.publishFor());
    await manager.query(
      `UPDATE signing_keys SET state = 'active', activated_at = now() WHERE kid = $1`,
      [kid],
    );
    await this.audit.record(
      {
        type: 'key.rotated',
        outcome: 'success',
        details: { kid, previous: retired, revokePrevious: false, trigger: 'schedule' },
      },
      undefined,
      manager,
    );
    this.logger.log({ kid }, 'the scheduled signing key now signs');
    return 'promoted';
  }

  /** A retired key verifies the tokens it signed until the last of them expires, plus leeway. */
  private publishFor(): number {
    return this.config.accessTokenTtl + GRACE_SECONDS;
  }
}
