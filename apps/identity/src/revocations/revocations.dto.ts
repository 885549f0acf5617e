import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A cursor is a snapshot, whose list of running transactions is bounded by max_connections. */
export const MAX_CURSOR_LENGTH = 8192;

/** The longest a follower may ask the feed to hold its answer. */
export const MAX_WAIT_SECONDS = 30;

/** `GET /v1/revocations?since=&wait=`. */
export class RevocationsQuery {
  /** A cursor from an earlier answer; without it, the answer is empty and starts from now. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  since?: string;

  /** Seconds to hold the answer until a revocation is recorded (long poll); 0 answers at once. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_WAIT_SECONDS)
  wait?: number;
}

/** The answer: what was revoked after `since`, and the cursor to ask from next. */
export interface RevocationsAnswer {
  cursor: string;
  sessions: string[];
  subjects: string[];
}
