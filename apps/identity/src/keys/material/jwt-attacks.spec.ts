import { signJwt } from './jwt';
import {
  b64json,
  claims,
  expectRefused,
  forge,
  forgeHs256,
  keyRing,
  resolver,
} from './testing/forge';
import { ALGS, TYP } from './testing/forge';
import type { LoadedKey, SigningAlg } from './types';

let keys: Record<SigningAlg, LoadedKey>;
let stranger: Record<SigningAlg, LoadedKey>;
beforeAll(async () => {
  [keys, stranger] = await Promise.all([keyRing(), keyRing()]);
});

const header = (key: LoadedKey, extra: Record<string, unknown> = {}) => ({
  alg: key.alg,
  kid: key.kid,
  typ: TYP,
  ...extra,
});

describe.each(ALGS)('a %s verifier', (alg) => {
  it('refuses a token whose alg is none in any letter case', async () => {
    const key = keys[alg];
    for (const none of ['none', 'NONE', 'nOnE', 'None']) {
      const token = `${b64json(header(key, { alg: none }))}.${b64json(claims())}.`;
      await expectRefused(token, resolver(key), /alg/);
    }
  });

  it('refuses HS256 tokens MACed with the public key as PEM, DER or JWK text', async () => {
    const key = keys[alg];
    const secrets = [
      key.publicKey.export({ format: 'pem', type: 'spki' }),
      key.publicKey.export({ format: 'der', type: 'spki' }),
      JSON.stringify(key.publicJwk),
      JSON.stringify(key.publicKey.export({ format: 'jwk' })),
    ];
    for (const secret of secrets) {
      await expectRefused(forgeHs256(secret, key.kid, claims()), resolver(key), /alg/);
    }
  });

  it('refuses a header alg other than the alg of the key its kid names', async () => {
    const key = keys[alg];
    for (const other of ALGS.filter((a) => a !== alg)) {
      const token = forge(keys[other], claims(), header(keys[other], { kid: key.kid }));
      await expectRefused(token, resolver(key, keys[other]), /alg does not match/);
    }
    const lower = forge(key, claims(), header(key, { alg: alg.toLowerCase() }));
    await expectRefused(lower, resolver(key), /alg/);
  });

  it('never follows jku, x5u, x5c or jwk headers, even on a valid signature', async () => {
    const key = keys[alg];
    const pointers = {
      jku: 'https://attacker.example/jwks.json',
      x5u: 'https://attacker.example/cert.pem',
      x5c: ['MIIBszCCAVmgAwIBAgIUQ'],
      jwk: stranger[alg].publicJwk,
    };
    for (const [member, value] of Object.entries(pointers)) {
      const token = forge(key, claims(), header(key, { [member]: value }));
      await expectRefused(token, resolver(key), new RegExp(`header ${member} refused`));
    }
  });

  it('refuses any crit header', async () => {
    const key = keys[alg];
    for (const crit of [['exp'], [], ['b64']]) {
      await expectRefused(forge(key, claims(), header(key, { crit })), resolver(key), /crit/);
    }
  });

  it('refuses a missing or different typ', async () => {
    const key = keys[alg];
    for (const typ of [undefined, 'JWT', 'application/jwt', 'at+jwt ', 'application/at+jwt+x']) {
      await expectRefused(forge(key, claims(), header(key, { typ })), resolver(key), /typ/);
    }
  });

  it('refuses a missing or malformed kid without asking the key store', async () => {
    const key = keys[alg];
    const kids = [undefined, 42, '', '../../etc/passwd', "1' OR '1'='1", 'a'.repeat(129)];
    for (const kid of kids) {
      const resolve = resolver(key);
      await expectRefused(forge(key, claims(), header(key, { kid })), resolve, /kid/);
      expect(resolve.asked).toEqual([]);
    }
  });

  it('refuses a kid the key store does not know', async () => {
    const token = await signJwt(claims(), stranger[alg], TYP);
    await expectRefused(token, resolver(keys[alg]), /unknown kid/);
  });

  it('refuses a token signed by another key that claims our kid', async () => {
    const key = keys[alg];
    const token = forge(stranger[alg], claims(), header(key));
    await expectRefused(token, resolver(key), /signature|verifier/);
  });

  it('refuses a stripped signature', async () => {
    const token = await signJwt(claims(), keys[alg], TYP);
    const stripped = token.slice(0, token.lastIndexOf('.') + 1);
    await expectRefused(stripped, resolver(keys[alg]), /signature|verifier/);
  });

  it('refuses a signature borrowed from another token of the same key', async () => {
    const key = keys[alg];
    const mine = await signJwt(claims({ sub: 'user-1' }), key, TYP);
    const theirs = await signJwt(claims({ sub: 'admin' }), key, TYP);
    const [h, p] = theirs.split('.');
    const borrowed = `${h}.${p}.${mine.split('.')[2]}`;
    await expectRefused(borrowed, resolver(key), /signature|verifier/);
  });

  it('refuses a payload edited after signing', async () => {
    const key = keys[alg];
    const [h, , s] = (await signJwt(claims(), key, TYP)).split('.');
    const edited = `${h}.${b64json(claims({ sub: 'admin', scope: 'admin' }))}.${s}`;
    await expectRefused(edited, resolver(key), /signature|verifier/);
  });
});
