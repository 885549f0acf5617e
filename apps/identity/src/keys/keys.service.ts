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
import { generateSigningKey, loadPublicKey, loadSigningKey } from './material/key-pair';
import { verifyJwt, type VerifyExpectations } from './material/jwt';
import {
  KID_PATTERN,
  type LoadedKey,
  type LoadedPublicKey,
  type PublicJwk,
} from './material/types';
import { SigningKey } from './signing-key.entity';

/** Leeway for the clocks of the machines that verify our tokens. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Serialises key changes across instances (pg_advisory_xact_lock). */
const KEY_LOCK = 0x7e55e4a;
const RELOAD_INTERVAL_MS = 30_000;
/** Leeway for clocks and in-flight tokens after a key stops signing. */
const GRACE_SECONDS = 60;

/**
 * Signing keys: the active one signs, retired ones stay published until their tokens expire.
 * Every instance loads them from the database, so a rotation anywhere is seen everywhere.
 */
@Injectable()
export class KeysService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Keys');
  private readonly box: SecretBox;
  private active?: LoadedKey;
  private published = new Map<string, LoadedPublicKey>();
  /** When each retired key stops verifying, checked per call so no reload has to happen first. */
  private publishedUntil = new Map<string, number>();
  private jwksDocument: { keys: PublicJwk[] } = { keys: [] };
  private reloading?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.masterKey as Buffer);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const active = await manager.findOne(SigningKey, { where: { state: 'active' } });
      if (active?.alg === this.config.signingAlg) return;
      const created = await this.activateNewKey(manager, false);
      this.logger.log({ kid: created, alg: this.config.signingAlg }, 'generated a signing key');
    });
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((err) => this.logger.warn({ err }, 'could not reload signing keys'));
    }, RELOAD_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The key that signs now. */
  signingKey(): LoadedKey {
    if (!this.active) throw new Error('no active signing key is loaded');
    return this.active;
  }

  /** A published key by kid, or undefined. Call {@link ensureKnown} first to pick up rotations. */
  verificationKey(kid: string): LoadedPublicKey | undefined {
    const until = this.publishedUntil.get(kid);
    if (until !== undefined && Date.now() >= until) return undefined;
    return this.published.get(kid);
  }

  /** Reloads when a token names a kid that is published in the database but not yet loaded here. */
  async ensureKnown(kid: string): Promise<void> {
    if (this.published.has(kid)) return;
    // One indexed lookup, not a reload, per unknown kid: made-up kids cannot force reloads.
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM signing_keys WHERE kid = $1
         AND (state IN ('active', 'next') OR (state = 'retired' AND publish_until > now()))`,
      [kid],
    );
    if (rows.length > 0) await this.reload();
  }

  /**
   * Verifies a token signed by one of our keys (see verifyJwt for every check), first picking up
   * a key rotated on another instance when the token names a kid not loaded here.
   * Throws InvalidTokenError for any refused token.
   */
  async verify(token: string, expect: Omit<VerifyExpectations, 'clockToleranceSeconds'>) {
    const kid = peekKid(token);
    if (kid) await this.ensureKnown(kid);
    return verifyJwt(token, (k) => this.verificationKey(k), {
      ...expect,
      clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    });
  }

  jwks(): { keys: PublicJwk[] } {
    return this.jwksDocument;
  }

  /**
   * Makes a new key the signer at once. The previous key stays published for one access-token
   * lifetime, or is withdrawn now when `revokePrevious` (a suspected compromise).
   */
  async rotate(context?: RequestContext, revokePrevious = false): Promise<string> {
    const kid = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const created = await this.activateNewKey(manager, revokePrevious);
      await this.audit.record(
        { type: 'key.rotated', outcome: 'success', details: { kid: created, revokePrevious } },
        context,
        manager,
      );
      return created;
    });
    await this.reload();
    return kid;
  }

  private async activateNewKey(manager: EntityManager, revokePrevious: boolean): Promise<string> {
    const generated = await generateSigningKey(this.config.signingAlg);
    const publishFor = revokePrevious ? 0 : this.config.accessTokenTtl + GRACE_SECONDS;
    await manager.query(
      `UPDATE signing_keys SET state = 'retired', retired_at = now(),
         publish_until = now() + make_interval(secs => $1)
       WHERE state = 'active'`,
      [publishFor],
    );
    await manager.insert(SigningKey, {
      kid: generated.kid,
      alg: generated.alg,
      publicJwk: generated.publicJwk,
      privateKey: this.box.seal(generated.privateKeyPkcs8, generated.kid),
      state: 'active',
      activatedAt: new Date(),
    });
    return generated.kid;
  }

  private reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async load(): Promise<void> {
    const rows = await this.dataSource
      .createQueryBuilder(SigningKey, 'k')
      .addSelect('k.privateKey')
      .where(`k.state IN ('active', 'next') OR (k.state = 'retired' AND k.publish_until > now())`)
      .orderBy('k.created_at', 'DESC')
      .getMany();
    const published = new Map<string, LoadedPublicKey>();
    const publishedUntil = new Map<string, number>();
    let active: LoadedKey | undefined;
    for (const row of rows) {
      if (row.state === 'active') {
        active = this.active?.kid === row.kid ? this.active : this.unseal(row);
        published.set(row.kid, active);
      } else {
        published.set(row.kid, this.published.get(row.kid) ?? loadPublicKey(row.publicJwk));
        if (row.publishUntil) publishedUntil.set(row.kid, row.publishUntil.getTime());
      }
    }
    if (!active) throw new Error('the database holds no active signing key');
    this.active = active;
    this.published = published;
    this.publishedUntil = publishedUntil;
    this.jwksDocument = { keys: [...published.values()].map((key) => key.publicJwk) };
  }

  /** Throws (stopping the start) when the key cannot be decrypted with MASTER_KEY. */
  private unseal(row: SigningKey): LoadedKey {
    let privateKeyPkcs8: Buffer;
    try {
      privateKeyPkcs8 = this.box.open(row.privateKey, row.kid);
    } catch {
      throw new Error(
        `signing key ${row.kid} cannot be decrypted: is MASTER_KEY the one it was sealed with?`,
      );
    }
    return loadSigningKey({
      kid: row.kid,
      alg: row.alg,
      publicJwk: row.publicJwk,
      privateKeyPkcs8,
    });
  }
}

/** The header's kid, read without trusting anything else in the token (verifyJwt checks it all). */
function peekKid(token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > 2048) return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    return typeof header?.kid === 'string' && KID_PATTERN.test(header.kid) ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
