import { Secret, TOTP } from 'otpauth';
import { Account, register, Tokens } from './accounts';
import { creds } from './credentials';
import type { Client, Reply } from './http';
import type { TestApp } from './test-app';

/** RFC 6238 steps as the contract fixes them: 30 seconds each. */
export const STEP_MS = 30_000;

/** Limits high enough that a suite's many logins and wrong codes never meet a 429. */
export const MFA_SUITE_LIMITS = {
  LOGIN_IP_LIMIT: '100000/60',
  LOGIN_ACCOUNT_LIMIT: '100000/900',
};

/** The six-digit code of a base32 `secret` at `atMs` (default now), computed by otpauth. */
export function codeFor(secret: string, atMs = Date.now()): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: atMs,
  });
}

/** A six-digit code that no step of `secret` from two before now to two after now has. */
export function wrongCodeFor(secret: string): string {
  const near = [-2, -1, 0, 1, 2].map((n) => codeFor(secret, Date.now() + n * STEP_MS));
  let candidate = Number(near[2]);
  do candidate = (candidate + 1) % 1_000_000;
  while (near.includes(String(candidate).padStart(6, '0')));
  return String(candidate).padStart(6, '0');
}

/** The RFC 6238 step, floor(t / 30 s), that `atMs` falls in. */
export const stepOf = (atMs = Date.now()) => Math.floor(atMs / STEP_MS);

/**
 * Runs `attempt` again (once) if a step boundary passed while it ran, so that a code it computed
 * for "now ± n steps" meant the same step to the server. Use it where a boundary would change the
 * verdict (a code one step old, or two steps ahead); it never waits.
 */
export async function withinOneStep<T>(attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    const before = stepOf();
    const result = await attempt();
    if (stepOf() === before) return result;
  }
}

function expectStatus(reply: Reply, status: number, what: string) {
  if (reply.status !== status) throw new Error(`${what} answered ${reply.status}: ${reply.text}`);
}

/**
 * Starts and confirms a TOTP enrollment with a current code (`enrollmentCode`, now spent); fails
 * the test otherwise.
 */
export async function enrollMfa(api: Client, token: string) {
  const started = await api.post('/v1/me/mfa/totp', undefined, { token });
  expectStatus(started, 201, 'enrollment');
  const secret = started.body.secret as string;
  const enrollmentCode = codeFor(secret);
  const verified = await api.post('/v1/me/mfa/totp/verify', { code: enrollmentCode }, { token });
  expectStatus(verified, 200, 'verification');
  return { secret, enrollmentCode, recoveryCodes: verified.body.recoveryCodes as string[] };
}

/** A fresh account with MFA on, and the password-only tokens it enrolled with. */
export async function registerWithMfa(api: Client) {
  const account = await register(api);
  const login = await api.post('/v1/auth/login', creds(account));
  expectStatus(login, 200, 'login');
  const tokens = login.body as Tokens;
  return { account, tokens, ...(await enrollMfa(api, tokens.access_token)) };
}

/** The password step of an account with MFA on; returns its `mfa_token`. */
export async function passwordStep(api: Client, account: Pick<Account, 'email' | 'password'>) {
  const reply = await api.post('/v1/auth/login', creds(account));
  expectStatus(reply, 200, 'login');
  if (!reply.body.mfa_token) throw new Error(`login answered no mfa_token: ${reply.text}`);
  return reply.body.mfa_token as string;
}

/** The second step of a login: `{code}` or `{recovery_code}` against an `mfa_token`. */
export function mfaStep(
  api: Client,
  mfaToken: string,
  proof: { code?: unknown; recovery_code?: unknown },
): Promise<Reply> {
  return api.post('/v1/auth/mfa', { mfa_token: mfaToken, ...proof });
}

/**
 * Moves the factor's clock: the last accepted step is forgotten, as if it were long ago, so that
 * a current code is accepted again. Only for tests that need several codes and are not about
 * replay.
 */
export async function forgetUsedSteps(app: TestApp, userId: string) {
  await app.db.query('UPDATE totp_factors SET last_used_step = NULL WHERE user_id = $1', [userId]);
}

/** Both login steps with a current code; returns the tokens (amr pwd+otp). */
export async function loginWithMfa(app: TestApp, api: Client, account: Account, secret: string) {
  await forgetUsedSteps(app, account.id);
  const reply = await mfaStep(api, await passwordStep(api, account), { code: codeFor(secret) });
  expectStatus(reply, 200, 'MFA step');
  return reply.body as Tokens;
}
