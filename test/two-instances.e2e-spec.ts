import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { KeyRotationService } from '../apps/identity/src/keys/key-rotation.service';
import { registerAndLogin } from '../apps/identity/test/support/accounts';
import type { Client, Reply } from '../apps/identity/test/support/http';
import { instancesForSuite } from '../apps/identity/test/support/suite-app';
import { ON_POSTGRES } from '../apps/identity/test/support/test-database';

// Booting an app (a new signing key for each fresh database) can take longer than Jest's 5 s.

const PARALLEL = 20;
// Both instances stand for one service behind a load balancer: one issuer, two ports.
const ISSUER = 'http://tessera.cluster.test';

function refresh(api: Client, refreshToken: string): Promise<Reply> {
  return api.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
}

// PGlite is one process with one connection that serialises every query, so two instances
// cannot share it and a race there proves nothing: these rules need a real PostgreSQL.
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('two instances on one PostgreSQL database', () => {
  const { a, b, apiA, apiB } = instancesForSuite({ ISSUER, LOGIN_IP_LIMIT: '1000/60' });

  it('accepts on one instance a user who logged in on the other', async () => {
    const { account, tokens } = await registerAndLogin(apiA);

    const me = await apiB.get('/v1/me', { token: tokens.access_token });

    expect(me.status).toBe(200);
    expect(me.body.id).toBe(account.id);
    expect((await refresh(apiB, tokens.refresh_token)).status).toBe(200);
  });

  it(`lets exactly one of ${PARALLEL} refreshes split across both instances succeed`, async () => {
    const { tokens } = await registerAndLogin(apiA);

    const replies = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        refresh(i % 2 ? apiA : apiB, tokens.refresh_token),
      ),
    );

    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    const losers = replies.filter((reply) => reply.status !== 200);
    expect(new Set(losers.map((reply) => `${reply.status} ${reply.body.error}`))).toEqual(
      new Set(['400 invalid_grant']),
    );
  });

  it('ends a session everywhere when it is revoked on one instance', async () => {
    const { tokens } = await registerAndLogin(apiA);
    expect((await apiB.get('/v1/me', { token: tokens.access_token })).status).toBe(200);

    await apiA.post('/oauth/revoke', { token: tokens.refresh_token });

    expect((await apiB.get('/v1/me', { token: tokens.access_token })).status).toBe(401);
    expect((await refresh(apiB, tokens.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('accepts at once on the other instance the tokens of a key rotated on one', async () => {
    const newKid = await a.app.get(KeyRotationService).rotate();

    const { tokens } = await registerAndLogin(apiA);

    expect(decodeProtectedHeader(tokens.access_token).kid).toBe(newKid);
    expect((await apiB.get('/v1/me', { token: tokens.access_token })).status).toBe(200);
    const jwks = createRemoteJWKSet(new URL(`${b.url}/.well-known/jwks.json`));
    await expect(
      jwtVerify(tokens.access_token, jwks, { issuer: ISSUER, audience: 'api', typ: 'at+jwt' }),
    ).resolves.toBeDefined();
  });
});
