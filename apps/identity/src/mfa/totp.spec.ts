import * as OTPAuth from 'otpauth';
import { acceptedStep, isSixDigits, newTotpSecret, totpUri } from './totp';

/** RFC 6238 Appendix B: the ASCII seed '12345678901234567890' for HMAC-SHA-1. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

function codeAt(secret: string, seconds: number): string {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  return totp.generate({ timestamp: seconds * 1000 });
}

function decodeBase32(text: string): Buffer {
  return Buffer.from(OTPAuth.Secret.fromBase32(text).bytes);
}

describe('acceptedStep', () => {
  it.each(RFC_VECTORS)('accepts the RFC 6238 SHA-1 code at T = %i', async (time, eightDigits) => {
    const step = await acceptedStep(eightDigits.slice(-6), RFC_SECRET, time);
    expect(step).toBe(Math.floor(time / 30));
  });

  it('accepts codes made by an independent implementation (otpauth)', async () => {
    const secret = newTotpSecret();
    for (const time of [1_700_000_000, 1_700_000_029, 1_765_432_101]) {
      expect(await acceptedStep(codeAt(secret, time), secret, time)).toBe(Math.floor(time / 30));
    }
  });

  it('answers the step the code belongs to, not the current one, within one step of drift', async () => {
    const secret = newTotpSecret();
    const now = 1_765_000_005;
    const step = Math.floor(now / 30);
    expect(await acceptedStep(codeAt(secret, now - 30), secret, now)).toBe(step - 1);
    expect(await acceptedStep(codeAt(secret, now + 30), secret, now)).toBe(step + 1);
  });

  it('refuses codes two steps away either way', async () => {
    const secret = newTotpSecret();
    const now = 1_765_000_005;
    expect(await acceptedStep(codeAt(secret, now - 60), secret, now)).toBeUndefined();
    expect(await acceptedStep(codeAt(secret, now + 60), secret, now)).toBeUndefined();
  });

  it('refuses a code of another secret', async () => {
    const now = 1_765_000_005;
    expect(await acceptedStep(codeAt(newTotpSecret(), now), newTotpSecret(), now)).toBeUndefined();
  });

  it('refuses malformed codes without throwing', async () => {
    const secret = newTotpSecret();
    const now = 1_765_000_005;
    const good = codeAt(secret, now);
    for (const bad of ['', '12345', '1234567', `${good} `, ` ${good}`, '12a456', '١٢٣٤٥٦']) {
      expect(await acceptedStep(bad, secret, now)).toBeUndefined();
    }
    expect(await acceptedStep(undefined as unknown as string, secret, now)).toBeUndefined();
  });
});

describe('newTotpSecret', () => {
  it('is base32 of at least 160 random bits, different every time', () => {
    const secrets = Array.from({ length: 100 }, () => newTotpSecret());
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(decodeBase32(secret).length).toBeGreaterThanOrEqual(20);
    }
    expect(new Set(secrets).size).toBe(100);
  });
});

describe('totpUri', () => {
  it('names the issuer and account and spells out SHA-1, six digits and 30 seconds', async () => {
    const uri = await totpUri(RFC_SECRET, 'alice@example.com');
    expect(uri).toBe(
      `otpauth://totp/Tessera:alice%40example.com?secret=${RFC_SECRET}&issuer=Tessera` +
        '&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('is read back by an independent implementation as the same secret and parameters', async () => {
    const secret = newTotpSecret();
    const parsed = OTPAuth.URI.parse(await totpUri(secret, 'bob@example.com'));
    expect(parsed).toBeInstanceOf(OTPAuth.TOTP);
    const totp = parsed as OTPAuth.TOTP;
    expect(totp.secret.base32).toBe(secret);
    expect([totp.issuer, totp.label, totp.algorithm, totp.digits, totp.period]).toEqual([
      'Tessera',
      'bob@example.com',
      'SHA1',
      6,
      30,
    ]);
  });
});

describe('isSixDigits', () => {
  it('accepts exactly six ASCII digits', () => {
    expect(isSixDigits('012345')).toBe(true);
    for (const bad of ['12345', '1234567', '12345a', ' 12345', '', 123456, null]) {
      expect(isSixDigits(bad)).toBe(false);
    }
  });
});
