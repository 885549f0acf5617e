import type { Session } from './session.entity';

/** A session as its user or an administrator sees it; never a refresh token or its hash. */
export interface SessionView {
  id: string;
  amr: string[];
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastRefreshedAt: string;
  expiresAt: string;
}

export function toSessionView(session: Session): SessionView {
  return {
    id: session.id,
    amr: session.amr,
    ip: session.ip,
    userAgent: session.userAgent,
    createdAt: session.createdAt.toISOString(),
    lastRefreshedAt: session.lastRefreshedAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
  };
}
