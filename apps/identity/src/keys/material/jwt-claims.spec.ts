import { verifyJwt } from './jwt';
import { ALGS, AUDIENCE, claims, expectations, expectRefused, forge } from './testing/forge';
import { ISSUER, keyRing, NOW, resolver, TOLERANCE } from './testing/forge';
import type { LoadedKey, SigningAlg } from './types';

let keys: Record<SigningAlg, LoadedKey>;
beforeAll(async () => {
  keys = await keyRing();
});

describe.each(ALGS)('%s token claims', (alg) => {
  const refuse = (payload: unknown, reason: RegExp, expected = expectations()) =>
    expectRefused(forge(keys[alg], payload), resolver(keys[alg]), reason, expected);

  it('refuses a token one second past the end of its clock tolerance', async () => {
    await refuse(claims({ iat: NOW - 900, exp: NOW - TOLERANCE - 1 }), /expired/);
  });

  it('refuses a token at the very second its tolerance runs out', async () => {
    await refuse(claims({ iat: NOW - 900, exp: NOW - TOLERANCE }), /expired/);
  });

  it('refuses a token whose nbf is one second beyond the tolerance ahead', async () => {
    await refuse(claims({ nbf: NOW + TOLERANCE + 1 }), /not yet valid|nbf/);
  });

  it('refuses a token issued more than the tolerance in the future', async () => {
    await refuse(claims({ iat: NOW + TOLERANCE + 1 }), /future|iat/);
  });

  it('refuses a token older than the max age', async () => {
    const expected = expectations({ maxAgeSeconds: 300 });
    await refuse(claims({ iat: NOW - 300 - TOLERANCE }), /expired|too old|iat/, expected);
    const young = forge(keys[alg], claims({ iat: NOW - 300 }));
    await expect(verifyJwt(young, resolver(keys[alg]), expected)).resolves.toBeTruthy();
  });

  it('refuses a token without exp, without iat, or with non-numeric times', async () => {
    await refuse(claims({ exp: undefined }), /exp/);
    await refuse(claims({ iat: undefined }), /iat/);
    await refuse(claims({ exp: String(NOW + 900) }), /exp/);
    await refuse(claims({ iat: null }), /iat/);
    await refuse(claims({ nbf: 'soon' }), /nbf/);
  });

  it('refuses an issuer that is not exactly ours', async () => {
    const variants = [
      `${ISSUER}/`,
      ISSUER.replace('https:', 'http:'),
      ISSUER.toUpperCase(),
      `${ISSUER}.evil.example`,
    ];
    for (const iss of variants) await refuse(claims({ iss }), /issuer/);
    await refuse(claims({ iss: undefined }), /issuer/);
  });

  it('refuses a token meant for another audience or for none', async () => {
    await refuse(claims({ aud: 'billing' }), /audience/);
    await refuse(claims({ aud: ['billing', 'admin'] }), /audience/);
    await refuse(claims({ aud: undefined }), /audience/);
    await refuse(claims({ aud: [] }), /audience/);
    await refuse(claims({ aud: `${AUDIENCE} ` }), /audience/);
  });

  it('refuses a token without a subject', async () => {
    await refuse(claims({ sub: undefined }), /sub/);
    await refuse(claims({ sub: '' }), /sub|verifier/);
    await refuse(claims({ sub: 42 }), /sub|verifier/);
  });

  it('refuses a payload that is not a JSON object', async () => {
    for (const payload of ['just a string', [claims()], null]) {
      await refuse(payload, /payload|verifier|audience/);
    }
  });
});

describe('verifyJwt expectations', () => {
  it('throws a TypeError, not InvalidTokenError, for unusable expectations', async () => {
    const token = forge(keys.RS256, claims());
    const resolve = resolver(keys.RS256);
    const bad = [
      expectations({ issuer: '' }),
      expectations({ audience: [] }),
      expectations({ typ: '' }),
      expectations({ clockToleranceSeconds: -1 }),
      expectations({ maxAgeSeconds: Number.NaN }),
      expectations({ nowSeconds: Number.POSITIVE_INFINITY }),
    ];
    for (const expected of bad) {
      await expect(verifyJwt(token, resolve, expected)).rejects.toThrow(TypeError);
    }
  });
});
