import { randomInt } from 'node:crypto';
import { Account, GOOD_PASSWORD, uniqueEmail } from './accounts';
import type { Client, Reply, RequestOptions } from './http';
import { expectProblem } from './problem-details';

export const WRONG_PASSWORD = 'not the password at all, sorry';

/** A client address no other test uses (TEST-NET-2), to present through X-Forwarded-For. */
export function uniqueIp(): string {
  return `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** Request options that present `ip` as the client, as a proxy in TRUST_PROXY would. */
export function from(ip: string, options: RequestOptions = {}): RequestOptions {
  return { ...options, headers: { ...options.headers, 'x-forwarded-for': ip } };
}

/** Registers a new account from an IP of its own, so that the tests' buckets stay untouched. */
export async function registerFromElsewhere(api: Client): Promise<Account> {
  const body = { email: uniqueEmail(), password: GOOD_PASSWORD };
  const reply = await api.post('/v1/auth/register', body, from(uniqueIp()));
  if (reply.status !== 201) throw new Error(`register answered ${reply.status}: ${reply.text}`);
  return { id: reply.body.id as string, ...body };
}

/** A login attempt for `email` (with a wrong password unless one is given) from `ip`. */
export function loginFrom(api: Client, ip: string, email: string, password = WRONG_PASSWORD) {
  return api.post('/v1/auth/login', { email, password }, from(ip));
}

/** The 429 of the contract: `rate_limited`, and Retry-After in whole seconds within the window. */
export function expectRateLimited(reply: Reply, windowSeconds: number) {
  expectProblem(reply, 429, 'rate_limited');
  expectRetryAfter(reply, windowSeconds);
}

export function expectRetryAfter(reply: Reply, windowSeconds: number) {
  const retryAfter = reply.headers.get('retry-after') ?? '';
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(windowSeconds);
}
