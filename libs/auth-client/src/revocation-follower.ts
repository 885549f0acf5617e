import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { AUTH_CLIENT_OPTIONS, ResolvedOptions } from './auth-client.options';
import { ClientToken } from './client-token';
import { IssuerClient } from './issuer-client';
import { PermissionChecker } from './permission-checker';
import { RevokedTokens } from './revoked-tokens';

/**
 * Least time between the starts of two polls: a burst of revocations comes in a few answers, and
 * an issuer that answers at once (no long poll) is not asked in a tight loop.
 */
const MIN_POLL_INTERVAL_MS = 1_000;
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

interface FeedAnswer {
  cursor: string;
  sessions: string[];
  subjects: string[];
}

function isFeedAnswer(body: unknown): body is FeedAnswer {
  const answer = body as Partial<FeedAnswer> | undefined;
  const strings = (list: unknown) =>
    Array.isArray(list) && list.every((item) => typeof item === 'string');
  return typeof answer?.cursor === 'string' && strings(answer.sessions) && strings(answer.subjects);
}

/**
 * Follows Tessera's revocation feed (`GET /v1/revocations`, long poll) and feeds
 * {@link RevokedTokens}, so that the guard refuses a revoked session's tokens within seconds
 * without a call per request. It starts from now. On 410 (it fell too far behind) it forgets
 * every cached permission answer and starts from now again. It backs off while Tessera is
 * unreachable, and stops when the module is destroyed.
 */
@Injectable()
export class RevocationFollower implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuthClient');
  private readonly stop = new AbortController();
  private loop?: Promise<void>;
  /** When the last answer came: lets a health check see the follower is alive. */
  lastAnswerAt?: Date;

  constructor(
    @Inject(AUTH_CLIENT_OPTIONS) private readonly options: ResolvedOptions,
    private readonly issuer: IssuerClient,
    private readonly clientToken: ClientToken,
    private readonly revoked: RevokedTokens,
    private readonly permissions: PermissionChecker,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.revocations.enabled) this.loop = this.follow();
  }

  async onModuleDestroy(): Promise<void> {
    this.stop.abort();
    await this.loop;
  }

  private async follow(): Promise<void> {
    let cursor: string | undefined;
    let failures = 0;
    while (!this.stop.signal.aborted) {
      const started = Date.now();
      let pause: number;
      try {
        const answer = await this.poll(cursor);
        failures = 0;
        this.lastAnswerAt = new Date();
        if (answer === 'expired') {
          this.logger.warn('fell behind the revocation feed; cached permissions are dropped');
          this.permissions.clear();
          cursor = undefined;
        } else {
          cursor = answer.cursor;
          this.revoked.add(answer, this.clientToken.lifetimeSeconds);
        }
        pause = MIN_POLL_INTERVAL_MS - (Date.now() - started);
      } catch (error) {
        if (this.stop.signal.aborted) break;
        failures += 1;
        pause = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (failures - 1));
        if (failures === 1 || failures % 10 === 0) {
          this.logger.warn(`the revocation feed failed (${(error as Error).message}); retrying`);
        }
      }
      if (pause > 0) await this.sleep(pause);
    }
  }

  /** One request: the answer, or 'expired' on 410. Throws on anything unusable. */
  private async poll(cursor: string | undefined): Promise<FeedAnswer | 'expired'> {
    const wait = this.options.revocations.waitSeconds;
    const query = cursor ? `?since=${encodeURIComponent(cursor)}&wait=${wait}` : '';
    const { status, body } = await this.clientToken.authorized((authorization) =>
      this.issuer.send(
        this.issuer.url(`/v1/revocations${query}`),
        {
          headers: { authorization },
          signal: this.stop.signal,
          timeoutSeconds: this.options.requestTimeoutSeconds + (cursor ? wait : 0),
        },
        'revocation feed',
      ),
    );
    if (status === 410) return 'expired';
    if (status !== 200 || !isFeedAnswer(body)) {
      throw new Error(`unusable answer (${status})`);
    }
    return body;
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.stop.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
