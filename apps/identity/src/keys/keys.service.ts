import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { insertKey, KEY_LOCK, retireKeys } from './key-store';
import { GRACE_SECONDS, RELOAD_INTERVAL_MS } from './key-timing';
import { loadPublicKey, loadSigningKey } from './material/key-pair';
import { verifyJwt, type VerifyExpectations } from './material/jwt';
import {
  KID_PATTERN,
  type LoadedKey,
  type LoadedPublicKey,
  type PublicJwk,
} from './material/types';
import { SigningKey, type SigningKeyState } from './signing-key.entity';

/** Leeway for the clocks of the machines that verify our tokens. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** A signing key as admins see it: never its private part. */
export interface KeyView {
  kid: string;
  alg: string;
  state: SigningKeyState;
  published: boolean;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
  publishedUntil: Date | null;
}

interface KeyRow {
  kid: string;
  alg: string;
  state: SigningKeyState;
  published: boolean;
  created_at: Date;
  activated_at: Date | null;
  retired_at: Date | null;
  publish_until: Date | null;
}

/**
 * Signing keys as this instance holds them: the active one signs; it, the scheduled `next` one
 * and retired ones still within their tokens' lifetime are published. Every instance loads them
 * from the database, so a rotation anywhere is seen everywhere (KeyRotationService makes them).
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
  ) {
    this.box = new SecretBox(config.masterKey as Buffer);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const active = await manager.findOne(SigningKey, { where: { state: 'active' } });
      if (active?.alg === this.config.signingAlg) return;
      // The first start, or SIGNING_ALG changed: the old key keeps verifying its tokens.
      await retireKeys(manager, 'active', this.config.accessTokenTtl + GRACE_SECONDS);
      const created = await insertKey(manager, this.box, this.config.signingAlg, 'active');
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

  /** Every key ever made, newest first, public facts only, with whether the JWKS shows it. */
  async list(): Promise<KeyView[]> {
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT kid, alg, state, created_at, activated_at, retired_at, publish_until,
              (state <> 'retired' OR publish_until > now()) AS published
       FROM signing_keys ORDER BY created_at DESC, kid`,
    );
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      state: row.state,
      published: row.published,
      createdAt: row.created_at,
      activatedAt: row.activated_at,
      retiredAt: row.retired_at,
      publishedUntil: row.publish_until,
    }));
  }

  /** Loads the published keys again; concurrent callers share one load. */
  reload(): Promise<void> {
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
