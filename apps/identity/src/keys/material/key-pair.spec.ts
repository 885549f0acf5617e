import { randomBytes, sign, verify } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { SecretBox } from '../../common/crypto/secret-box';
import { PRIVATE_JWK_MEMBERS } from './jwk';
import { generateSigningKey, loadPublicKey, loadSigningKey } from './key-pair';
import { ALGS, without } from './testing/forge';
import { KeyMaterialError, KID_PATTERN, type GeneratedKey, type SigningAlg } from './types';

const SHAPE: Record<SigningAlg, { members: string[]; type: string; detail: object }> = {
  RS256: { members: ['e', 'n'], type: 'rsa', detail: { modulusLength: 2048 } },
  ES256: { members: ['crv', 'x', 'y'], type: 'ec', detail: { namedCurve: 'prime256v1' } },
  EdDSA: { members: ['crv', 'x'], type: 'ed25519', detail: {} },
};

const generated = {} as Record<SigningAlg, GeneratedKey>;
beforeAll(async () => {
  for (const alg of ALGS) generated[alg] = await generateSigningKey(alg);
});

describe.each(ALGS)('%s key material', (alg) => {
  it('names the key by its RFC 7638 SHA-256 thumbprint', async () => {
    const key = generated[alg];
    expect(key.kid).toMatch(KID_PATTERN);
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
  });

  it('keeps the same kid when the stored key is loaded again', async () => {
    const loaded = loadSigningKey(generated[alg]);
    expect(loaded.kid).toBe(generated[alg].kid);
    expect(await calculateJwkThumbprint(loaded.publicJwk, 'sha256')).toBe(loaded.kid);
  });

  it('publishes only public members plus kid, alg and use', () => {
    const jwk = generated[alg].publicJwk as Record<string, unknown>;
    const expected = ['alg', 'kid', 'kty', 'use', ...SHAPE[alg].members].sort();
    expect(Object.keys(jwk).sort()).toEqual(expected);
    expect(jwk).toMatchObject({ alg, kid: generated[alg].kid, use: 'sig' });
    for (const member of PRIVATE_JWK_MEMBERS) expect(jwk).not.toHaveProperty(member);
  });

  it('generates the key type the alg calls for', () => {
    const loaded = loadSigningKey(generated[alg]);
    expect(loaded.privateKey.asymmetricKeyType).toBe(SHAPE[alg].type);
    expect(loaded.publicKey.asymmetricKeyDetails).toMatchObject(SHAPE[alg].detail);
    expect(loaded.privateKey.type).toBe('private');
    expect(loaded.publicKey.type).toBe('public');
  });

  it('loads halves that sign and verify together', () => {
    const { privateKey, publicKey } = loadSigningKey(generated[alg]);
    const digest = alg === 'EdDSA' ? null : 'sha256';
    const message = Buffer.from('hello');
    expect(verify(digest, message, publicKey, sign(digest, message, privateKey))).toBe(true);
  });

  it('survives sealing the private key with its kid as associated data', () => {
    const box = new SecretBox(randomBytes(32));
    const key = generated[alg];
    const sealed = box.seal(key.privateKeyPkcs8, key.kid);
    const loaded = loadSigningKey({ ...key, privateKeyPkcs8: box.open(sealed, key.kid) });
    expect(loaded.kid).toBe(key.kid);
  });

  it('loads a public JWK alone for verification', () => {
    const loaded = loadPublicKey(generated[alg].publicJwk);
    expect(loaded).toMatchObject({ kid: generated[alg].kid, alg });
    expect(loaded.publicKey.type).toBe('public');
  });
});

describe('loading refuses mismatched or unsafe material', () => {
  it('refuses a private key that belongs to another key pair', async () => {
    const other = await generateSigningKey('ES256');
    const stored = { ...generated.ES256, privateKeyPkcs8: other.privateKeyPkcs8 };
    expect(() => loadSigningKey(stored)).toThrow(KeyMaterialError);
  });

  it('refuses a key stored under an alg its type does not fit', () => {
    const rsa = generated.RS256;
    expect(() => loadSigningKey({ ...rsa, alg: 'ES256' })).toThrow(KeyMaterialError);
    const bare = without(rsa.publicJwk, 'alg');
    expect(() => loadSigningKey({ ...rsa, alg: 'EdDSA', publicJwk: bare })).toThrow(
      KeyMaterialError,
    );
    const edPrivate = { ...rsa, privateKeyPkcs8: generated.EdDSA.privateKeyPkcs8 };
    expect(() => loadSigningKey(edPrivate)).toThrow(KeyMaterialError);
  });

  it('refuses a public JWK that carries private members', () => {
    const key = generated.EdDSA;
    const leaky = { ...key.publicJwk, d: Buffer.alloc(32).toString('base64url') };
    expect(() => loadSigningKey({ ...key, publicJwk: leaky })).toThrow(KeyMaterialError);
    expect(() => loadPublicKey(leaky)).toThrow(KeyMaterialError);
  });

  it('refuses a kid that contradicts the JWK or is not short base64url', () => {
    const key = generated.ES256;
    expect(() => loadSigningKey({ ...key, kid: 'another-kid' })).toThrow(KeyMaterialError);
    for (const kid of ['../../etc/passwd', "1' OR '1'='1", '', 'x'.repeat(129)]) {
      expect(() => loadPublicKey({ ...key.publicJwk, kid })).toThrow(KeyMaterialError);
    }
  });

  it('refuses an unknown alg, a JWK without kid or alg, and bytes that are not PKCS#8', () => {
    const key = generated.RS256;
    expect(() => loadPublicKey(without(key.publicJwk, 'kid'))).toThrow(KeyMaterialError);
    expect(() => loadPublicKey(without(key.publicJwk, 'alg'))).toThrow(KeyMaterialError);
    expect(() => loadPublicKey({ ...key.publicJwk, alg: 'HS256' })).toThrow(KeyMaterialError);
    expect(() => loadSigningKey({ ...key, privateKeyPkcs8: randomBytes(64) })).toThrow(
      KeyMaterialError,
    );
  });

  it('refuses to generate for an alg it does not know', async () => {
    await expect(generateSigningKey('HS256' as SigningAlg)).rejects.toThrow(KeyMaterialError);
  });
});
