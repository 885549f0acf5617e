import { createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeysService } from '../src/keys/keys.service';
import { signJwt } from '../src/keys/material/jwt';
import type { LoadedKey } from '../src/keys/material/types';
import { b64json, forge, forgeHs256, jwsSign } from '../src/keys/material/testing/forge';
import { registerAndLogin, Tokens } from './support/accounts';
import { appForSuite } from './support/suite-app';

const TYP = 'at+jwt';
const nowSeconds = () => Math.floor(Date.now() / 1000);

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('forged and misused tokens on GET /v1/me', () => {
  const { app, api } = appForSuite();
  let tokens: Tokens;
  let key: LoadedKey;
  let jwk: JsonWebKey;

  beforeAll(async () => {
    tokens = (await registerAndLogin(api)).tokens;
    key = app.app.get(KeysService).signingKey();
    const jwks = await api.get('/.well-known/jwks.json');
    jwk = jwks.body.keys.find((k: { kid: string }) => k.kid === key.kid);
  });

  /** The claims of the session's real access token, with `overrides` (undefined removes). */
  function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const all = { ...payloadOf(tokens.access_token), ...overrides };
    return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  }

  const header = (extra: Record<string, unknown> = {}) => ({
    alg: key.alg,
    kid: key.kid,
    typ: TYP,
    ...extra,
  });

  async function expectRefused(token: string): Promise<void> {
    const reply = await api.get('/v1/me', { token });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(reply.body.code).toBe('unauthenticated');
  }

  describe('the controls', () => {
    it('accepts the real token and one forged here with the real key and header', async () => {
      expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(200);
      expect((await api.get('/v1/me', { token: forge(key, claims(), header()) })).status).toBe(200);
      const signed = await signJwt(claims({ exp: nowSeconds() + 600 }), key, TYP);
      expect((await api.get('/v1/me', { token: signed })).status).toBe(200);
    });
  });

  describe('algorithms', () => {
    it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %s', async (alg) => {
      await expectRefused(`${b64json(header({ alg }))}.${b64json(claims())}.`);
      const withSignature = tokens.access_token.split('.')[2];
      await expectRefused(`${b64json(header({ alg }))}.${b64json(claims())}.${withSignature}`);
    });

    it.each<[string, (publicKey: KeyObject) => Buffer | string]>([
      ['PEM (SPKI)', (k) => k.export({ type: 'spki', format: 'pem' })],
      ['PEM (PKCS#1)', (k) => k.export({ type: 'pkcs1', format: 'pem' })],
      ['DER in base64', (k) => k.export({ type: 'spki', format: 'der' }).toString('base64')],
      ['DER bytes', (k) => k.export({ type: 'spki', format: 'der' })],
      ['JWK text', () => JSON.stringify(jwk)],
    ])('refuses HS256 keyed with the public key as %s', async (_, secret) => {
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      await expectRefused(forgeHs256(secret(publicKey), key.kid, claims()));
    });
  });

  describe('header members', () => {
    it.each([
      ['a path', '../../../../../dev/null'],
      ['a path after the real kid', 'KID/../../keys'],
      ['SQL', "' OR '1'='1"],
      ['SQL after the real kid', "KID' --"],
    ])('refuses a kid that looks like %s', async (_, kid) => {
      await expectRefused(forge(key, claims(), header({ kid: kid.replace('KID', key.kid) })));
    });

    it('fetches nothing named by jku or x5u and refuses the token', async () => {
      let requests = 0;
      const server: Server = createServer((_, res) => {
        requests += 1;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        await expectRefused(forge(key, claims(), header({ jku: `${url}/jwks.json` })));
        await expectRefused(forge(key, claims(), header({ x5u: `${url}/cert.pem` })));
        await expectRefused(
          forge(key, claims(), header({ kid: 'attacker', jku: `${url}/jwks.json` })),
        );
        expect(requests).toBe(0);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('refuses a token that embeds its own jwk', async () => {
      const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
      const head = header({ jwk: attackerJwk });
      const input = `${b64json(head)}.${b64json(claims())}`;
      await expectRefused(`${input}.${jwsSign('RS256', attacker.privateKey, input)}`);
      await expectRefused(forge(key, claims(), header({ jwk })));
    });

    it.each<[string, Record<string, unknown>]>([
      ['a typ of JWT', { typ: 'JWT' }],
      ['no typ', { typ: undefined }],
      ['an unknown crit member', { crit: ['x-tessera-unknown'], 'x-tessera-unknown': true }],
    ])('refuses a header with %s', async (_, extra) => {
      const head = Object.entries(header(extra)).filter(([, value]) => value !== undefined);
      await expectRefused(forge(key, claims(), Object.fromEntries(head)));
    });
  });

  describe('claims', () => {
    it('refuses a token without exp', async () => {
      await expectRefused(forge(key, claims({ exp: undefined }), header()));
    });

    it('refuses a token that expired beyond the clock tolerance', async () => {
      const now = nowSeconds();
      await expectRefused(
        await signJwt(claims({ iat: now - 1000, nbf: now - 1000, exp: now - 120 }), key, TYP),
      );
    });

    it('refuses a token whose nbf lies beyond the clock tolerance', async () => {
      await expectRefused(await signJwt(claims({ nbf: nowSeconds() + 120 }), key, TYP));
    });

    it.each<[string, (issuer: string) => Record<string, unknown>]>([
      ['another audience', () => ({ aud: 'another-api' })],
      ['no audience', () => ({ aud: undefined })],
      ['an issuer with a trailing slash', (issuer) => ({ iss: `${issuer}/` })],
      ['an issuer over https', (issuer) => ({ iss: issuer.replace(/^http:/, 'https:') })],
    ])('refuses a token with %s', async (_, overrides) => {
      await expectRefused(await signJwt(claims(overrides(app.config.issuer)), key, TYP));
    });
  });

  describe('signatures', () => {
    it('refuses a stripped signature', async () => {
      const [head, body] = tokens.access_token.split('.');
      await expectRefused(`${head}.${body}.`);
      await expectRefused(`${head}.${body}`);
    });

    it('refuses a payload edited under the original signature', async () => {
      const [head, , signature] = tokens.access_token.split('.');
      const edited = b64json(claims({ roles: ['admin'] }));
      await expectRefused(`${head}.${edited}.${signature}`);
    });

    it("refuses a signature borrowed from another user's token", async () => {
      const other = await registerAndLogin(api);
      const [head, body, signature] = tokens.access_token.split('.');
      const [, theirBody, theirSignature] = other.tokens.access_token.split('.');
      await expectRefused(`${head}.${body}.${theirSignature}`);
      await expectRefused(`${head}.${theirBody}.${signature}`);
    });
  });

  describe('the wrong kind of credential or header', () => {
    it('refuses a refresh token presented as a bearer token', async () => {
      await expectRefused(tokens.refresh_token);
    });

    it('reads no token from the query string', async () => {
      const reply = await api.get(`/v1/me?access_token=${tokens.access_token}`);
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it.each([
      ['a lowercase scheme', (t: string) => `bearer ${t}`],
      ['two spaces after the scheme', (t: string) => `Bearer  ${t}`],
    ])('accepts an Authorization header with %s, as RFC 6750 allows', async (_, value) => {
      const reply = await api.get('/v1/me', {
        headers: { authorization: value(tokens.access_token) },
      });
      expect(reply.status).toBe(200);
    });

    it.each([
      ['no scheme', (t: string) => t],
      ['the Basic scheme', (t: string) => `Basic ${t}`],
      ['two tokens', (t: string) => `Bearer ${t} ${t}`],
    ])('refuses an Authorization header with %s', async (_, value) => {
      const reply = await api.get('/v1/me', {
        headers: { authorization: value(tokens.access_token) },
      });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it('refuses a huge Authorization header without a 5xx', async () => {
      const reply = await api.get('/v1/me', { token: 'a'.repeat(20 * 1024) });
      expect([400, 401, 431]).toContain(reply.status);
      const padded = forge(key, claims({ padding: 'x'.repeat(9 * 1024) }), header());
      await expectRefused(padded);
    });
  });
});
