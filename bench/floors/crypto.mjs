// floor-sign and floor-verify: RSA-2048 signatures and verifications per second on one thread,
// the cryptography that bounds issuing a token (client-credentials) and checking one (kit-verify).
import { createSign, generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { timedWithWarmup } from '../timing.mjs';

// jsonwebtoken is what Tessera signs RS256 with (through @nestjs/jwt); CommonJS, so required.
const jwt = createRequire(import.meta.url)('jsonwebtoken');

function keyPair() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** Claims shaped like a Tessera user access token (RFC 9068). */
function accessTokenClaims() {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'http://127.0.0.1:3000',
    sub: randomUUID(),
    aud: 'api',
    exp: now + 900,
    iat: now,
    nbf: now,
    jti: randomUUID(),
    client_id: 'tessera',
    roles: ['user', 'viewer'],
    sid: randomUUID(),
    amr: ['pwd'],
  };
}

export const floorSign = {
  name: 'floor-sign',
  async run({ settings }) {
    const { privateKey } = keyPair();
    const claims = accessTokenClaims();
    const options = {
      algorithm: 'RS256',
      keyid: 'bench',
      header: { alg: 'RS256', kid: 'bench', typ: 'at+jwt' },
    };
    const result = await timedWithWarmup(settings, 1, () => {
      claims.jti = randomUUID(); // a new token each time, as Tessera signs them
      jwt.sign(claims, privateKey, options);
    });
    return [{ name: 'floor-sign', ...result, note: 'jsonwebtoken RS256, KeyObject, one thread' }];
  },
};

export const floorVerify = {
  name: 'floor-verify',
  async run({ settings }) {
    const { privateKey, publicKey } = keyPair();
    const data = Buffer.from(
      `${Buffer.from('{"alg":"RS256","kid":"bench","typ":"at+jwt"}').toString('base64url')}.` +
        Buffer.from(JSON.stringify(accessTokenClaims())).toString('base64url'),
    );
    const signature = createSign('sha256').update(data).sign(privateKey);
    const result = await timedWithWarmup(settings, 1, () => {
      if (!verify('sha256', data, publicKey, signature))
        throw new Error('floor-verify: bad signature');
    });
    return [
      { name: 'floor-verify', ...result, note: 'crypto.verify RSA-2048 SHA-256, one thread' },
    ];
  },
};
