import { createHmac } from 'node:crypto';
import { signJwt } from './jwt';
import { ALGS, b64json, claims, expectRefused, forge, keyRing, resolver } from './testing/forge';
import { TYP } from './testing/forge';
import type { LoadedKey, SigningAlg } from './types';

let keys: Record<SigningAlg, LoadedKey>;
beforeAll(async () => {
  keys = await keyRing();
});

describe.each(ALGS)('a %s verifier', (alg) => {
  it('refuses a 20 KiB header before decoding it or asking the key store', async () => {
    const key = keys[alg];
    const resolve = resolver(key);
    const token = forge(key, claims(), { alg, kid: key.kid, typ: TYP, pad: 'x'.repeat(20 * 1024) });
    await expectRefused(token, resolve, /too long/);
    expect(resolve.asked).toEqual([]);
  });

  it('refuses a validly signed token just over 8 KiB', async () => {
    const key = keys[alg];
    const big = forge(key, claims({ pad: 'x'.repeat(6200) }));
    expect(big.length).toBeGreaterThan(8 * 1024);
    await expectRefused(big, resolver(key), /too long/);
  });
});

describe('token shape', () => {
  it('refuses anything but three base64url segments', async () => {
    const key = keys.ES256;
    const token = await signJwt(claims(), key, TYP);
    const [h, p, s] = token.split('.');
    const shapes = ['', 'abc', `${h}.${p}`, `${token}.${s}`, `${h}.${p}.${s}=`, ` ${token}`];
    for (const bad of [...shapes, `${h}.${p}+.${s}`, `${h}..${s}`, `.${p}.${s}`]) {
      await expectRefused(bad, resolver(key), /compact|too long|missing/);
    }
  });

  it('refuses a header that is not a JSON object', async () => {
    const key = keys.RS256;
    const body = b64json(claims());
    const mac = createHmac('sha256', 'x').update('x').digest('base64url');
    for (const bad of ['bm90IGpzb24', b64json(['alg']), b64json(null), b64json('RS256')]) {
      await expectRefused(`${bad}.${body}.${mac}`, resolver(key), /header/);
    }
  });
});
