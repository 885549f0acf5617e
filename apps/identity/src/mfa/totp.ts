import { randomBytes } from 'node:crypto';
import { generateURI, verify } from 'otplib';
import { base32 } from '@scure/base';

/** RFC 6238 as every authenticator app reads it: HMAC-SHA-1, six digits, 30-second steps. */
const ALGORITHM = 'sha1';
const DIGITS = 6;
const PERIOD = 30;
const SECRET_BYTES = 20;
const SIX_DIGITS = /^\d{6}$/;

export function isSixDigits(code: unknown): code is string {
  return typeof code === 'string' && SIX_DIGITS.test(code);
}

/** A fresh 160-bit secret from the CSPRNG (RFC 4226 §4 recommends 160), base32 for the app. */
export function newTotpSecret(): string {
  return base32.encode(randomBytes(SECRET_BYTES));
}

/**
 * The `otpauth://totp/Issuer:account?...` URI an authenticator app scans. otplib leaves out
 * parameters that equal the defaults; they are spelled out here for apps that do not assume them.
 */
export async function totpUri(secret: string, accountName: string, issuer = 'Tessera') {
  const uri = generateURI({ issuer, label: accountName, secret });
  return `${uri}&algorithm=SHA1&digits=${DIGITS}&period=${PERIOD}`;
}

/**
 * The RFC 6238 time step, floor(t / 30), that `code` belongs to when it is valid at
 * `nowSeconds` give or take one step; otherwise undefined. Replay protection is the caller's:
 * remember the step and accept only later ones. otplib compares each candidate in constant time.
 */
export async function acceptedStep(
  code: string,
  secret: string,
  nowSeconds: number,
): Promise<number | undefined> {
  if (!isSixDigits(code)) return undefined;

  const result = await verify({
    secret,
    token: code,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD,
    epoch: nowSeconds,
    epochTolerance: PERIOD,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
