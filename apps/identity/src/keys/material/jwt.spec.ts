import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { signJwt, verifyJwt } from './jwt';
import { ALGS, AUDIENCE, claims, expectations, forge, ISSUER, keyRing, NOW } from './testing/forge';
import { resolver, TOLERANCE, TYP, without } from './testing/forge';
import type { LoadedKey, SigningAlg } from './types';

let keys: Record<SigningAlg, LoadedKey>;
beforeAll(async () => {
  keys = await keyRing();
});

describe.each(ALGS)('%s tokens', (alg) => {
  it('signs with exactly alg, kid and typ in the header', async () => {
    const token = await signJwt(claims(), keys[alg], TYP);
    expect(decodeProtectedHeader(token)).toEqual({ alg, kid: keys[alg].kid, typ: TYP });
  });

  it('signs the payload as given, adding no iat and changing no times', async () => {
    const payload = claims({ iat: NOW - 5, nbf: NOW - 5, scope: 'read write' });
    expect(decodeJwt(await signJwt(payload, keys[alg], TYP))).toEqual(payload);
    const noIat = without(payload, 'iat');
    expect(decodeJwt(await signJwt(noIat, keys[alg], TYP))).toEqual(noIat);
  });

  it('verifies its own tokens and returns the claims', async () => {
    const payload = claims({ scope: 'read' });
    const token = await signJwt(payload, keys[alg], TYP);
    await expect(verifyJwt(token, resolver(keys[alg]), expectations())).resolves.toEqual(payload);
  });

  it('produces tokens a resource server verifies with jose and the published JWKS', async () => {
    const token = await signJwt(claims({ exp: 4_000_000_000 }), keys[alg], TYP);
    const jwks = createLocalJWKSet({ keys: [keys[alg].publicJwk] });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'application/at+jwt',
      algorithms: [alg],
    });
    expect(payload.sub).toBe('user-1');
    expect(protectedHeader.kid).toBe(keys[alg].kid);
  });

  it('accepts typ in any letter case and with the application/ prefix', async () => {
    for (const typ of ['AT+JWT', 'application/at+jwt', 'Application/At+Jwt']) {
      const token = await signJwt(claims(), keys[alg], typ);
      await expect(verifyJwt(token, resolver(keys[alg]), expectations())).resolves.toBeTruthy();
    }
    const token = await signJwt(claims(), keys[alg], TYP);
    const expect2 = expectations({ typ: 'application/AT+JWT' });
    await expect(verifyJwt(token, resolver(keys[alg]), expect2)).resolves.toBeTruthy();
  });

  it('accepts times inside the clock tolerance, up to its last second', async () => {
    const edges = [
      claims({ exp: NOW - TOLERANCE + 1 }),
      claims({ nbf: NOW + TOLERANCE }),
      claims({ iat: NOW + TOLERANCE }),
    ];
    for (const payload of edges) {
      const token = forge(keys[alg], payload);
      await expect(verifyJwt(token, resolver(keys[alg]), expectations())).resolves.toBeTruthy();
    }
  });

  it('accepts an audience list that shares one value with the expected ones', async () => {
    const token = forge(keys[alg], claims({ aud: ['billing', AUDIENCE] }));
    const expect2 = expectations({ audience: ['other', AUDIENCE] });
    await expect(verifyJwt(token, resolver(keys[alg]), expect2)).resolves.toBeTruthy();
  });

  it('verifies against the real clock when no time is given', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(claims({ iat: now, exp: now + 60 }), keys[alg], TYP);
    const expect2 = expectations({ nowSeconds: undefined, maxAgeSeconds: 300 });
    await expect(verifyJwt(token, resolver(keys[alg]), expect2)).resolves.toBeTruthy();
  });
});

describe('signJwt input checks', () => {
  it('refuses an iat that jsonwebtoken would silently replace', async () => {
    await expect(signJwt(claims({ iat: 0 }), keys.RS256, TYP)).rejects.toThrow(TypeError);
  });

  it('refuses an empty typ and a payload that is not an object', async () => {
    await expect(signJwt(claims(), keys.ES256, '')).rejects.toThrow(TypeError);
    const list = [] as unknown as Record<string, unknown>;
    await expect(signJwt(list, keys.EdDSA, TYP)).rejects.toThrow(TypeError);
  });

  it('leaves the caller payload object untouched', async () => {
    const payload = claims();
    const before = JSON.stringify(payload);
    await signJwt(payload, keys.RS256, TYP);
    await signJwt(payload, keys.EdDSA, TYP);
    expect(JSON.stringify(payload)).toBe(before);
  });
});
