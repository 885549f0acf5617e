import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccessTokenClaims, AUTH_CLIENT_OPTIONS, ResolvedOptions } from './auth-client.options';
import { ExpiringMap } from './expiring-map';

/** Enough for a burst of mass revocations; past it the oldest entries go (and a warning says so). */
const MAX_ENTRIES = 200_000;
/** Lapsed entries are swept out at most this often. */
const SWEEP_INTERVAL_MS = 60_000;
/** Assumed access-token lifetime until the client token has told the real one. */
const DEFAULT_LIFETIME_SECONDS = 3600;

/**
 * The sessions and users Tessera said were revoked, as the revocation follower learns them. A
 * token issued before its session or user was revoked is refused; an entry is kept until every
 * such token has expired. A user's entry spares tokens issued after it (a re-enabled user logs
 * in again), with the clock tolerance on the safe side.
 */
@Injectable()
export class RevokedTokens {
  private readonly logger = new Logger('AuthClient');
  /** Session id or user id → tokens issued before this time (s since the epoch) are refused. */
  private readonly sessions: ExpiringMap<string, number>;
  private readonly subjects: ExpiringMap<string, number>;
  private warned = false;
  private sweptAt = Date.now();

  constructor(@Inject(AUTH_CLIENT_OPTIONS) private readonly options: ResolvedOptions) {
    this.sessions = new ExpiringMap(MAX_ENTRIES);
    this.subjects = new ExpiringMap(MAX_ENTRIES);
  }

  /** Records what the feed answered; `lifetimeSeconds` is how long Tessera's tokens live. */
  add(revoked: { sessions: string[]; subjects: string[] }, lifetimeSeconds?: number): void {
    const now = Math.floor(Date.now() / 1000);
    const tolerance = this.options.clockToleranceSeconds;
    const refuseIssuedBefore = now + tolerance;
    const until = (now + (lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS) + 2 * tolerance) * 1000;
    if (Date.now() - this.sweptAt > SWEEP_INTERVAL_MS) {
      this.sweptAt = Date.now();
      this.sessions.sweep();
      this.subjects.sweep();
    }
    let evicted = 0;
    for (const sid of revoked.sessions)
      evicted += this.sessions.set(sid, refuseIssuedBefore, until);
    for (const sub of revoked.subjects)
      evicted += this.subjects.set(sub, refuseIssuedBefore, until);
    if (evicted > 0 && !this.warned) {
      this.warned = true;
      this.logger.warn('too many revocations to remember; the oldest were forgotten early');
    }
  }

  /** True when the token belongs to a session or user revoked after it was issued. */
  refuses(claims: Pick<AccessTokenClaims, 'sub' | 'sid' | 'iat'>): boolean {
    const bySession = claims.sid ? this.sessions.get(claims.sid) : undefined;
    const bySubject = this.subjects.get(claims.sub);
    return [bySession, bySubject].some((before) => before !== undefined && claims.iat < before);
  }
}
