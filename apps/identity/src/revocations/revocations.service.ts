import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './revocation-cursor';
import { FeedPage, RevocationFeed } from './revocation-feed';
import { RevocationWaiters } from './revocation-waiters';
import type { RevocationsAnswer } from './revocations.dto';

function answerOf(page: FeedPage): RevocationsAnswer {
  return { cursor: encodeCursor(page.snapshot), sessions: page.sessions, subjects: page.subjects };
}

/** The feed's answers: at once, or held (long poll) until there is something to say. */
@Injectable()
export class RevocationsService {
  constructor(
    private readonly feed: RevocationFeed,
    private readonly waiters: RevocationWaiters,
  ) {}

  /** A new follower starts from now: nothing to report, and the cursor to follow from. */
  async start(): Promise<RevocationsAnswer> {
    return { cursor: encodeCursor(await this.feed.now()), sessions: [], subjects: [] };
  }

  /**
   * What was revoked after `cursor`. With `waitSeconds`, an empty answer is held until a
   * revocation is committed, the time is up or `abort` fires; the wait holds no database connection.
   */
  async since(cursor: string, waitSeconds: number, abort: AbortSignal): Promise<RevocationsAnswer> {
    const first = await this.feed.read(decodeCursor(cursor));
    if (waitSeconds === 0 || first.sessions.length > 0 || first.subjects.length > 0) {
      return answerOf(first);
    }
    await this.waiters.waitForNewer(first.snapshot, waitSeconds, abort);
    if (abort.aborted) return answerOf(first);
    return answerOf(await this.feed.read(first.snapshot));
  }
}
