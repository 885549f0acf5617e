import { decodeJwt } from 'jose';
import { registerAndLogin } from './support/accounts';
import type { Client, Reply } from './support/http';
import { appForSuite } from './support/suite-app';
import { ON_POSTGRES } from './support/test-database';

// Booting an app (a new signing key for each fresh database) can take longer than Jest's 5 s.

const PARALLEL = 20;

function refresh(api: Client, refreshToken: string, index: number): Promise<Reply> {
  const params = { grant_type: 'refresh_token', refresh_token: refreshToken };
  // Half as forms, half as JSON: both encodings reach the same rotation.
  return index % 2 === 0
    ? api.post('/oauth/token', undefined, { form: params })
    : api.post('/oauth/token', params);
}

describe(`racing refreshes of one token (${ON_POSTGRES ? 'PostgreSQL' : 'PGlite'})`, () => {
  const { app, api } = appForSuite({ LOGIN_IP_LIMIT: '1000/60' });

  it(`lets exactly one of ${PARALLEL} parallel refreshes of one token succeed`, async () => {
    const { tokens } = await registerAndLogin(api);

    const replies = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => refresh(api, tokens.refresh_token, i)),
    );

    const winners = replies.filter((reply) => reply.status === 200);
    const losers = replies.filter((reply) => reply.status !== 200);
    expect(winners).toHaveLength(1);
    expect(losers.map((reply) => [reply.status, reply.body.error])).toEqual(
      Array.from({ length: PARALLEL - 1 }, () => [400, 'invalid_grant']),
    );
  });

  it('revokes the session when a racing refresh loses, as for any retired token', async () => {
    const { account, tokens } = await registerAndLogin(api);
    const sid = decodeJwt(tokens.access_token).sid;

    const replies = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => refresh(api, tokens.refresh_token, i)),
    );
    const winner = replies.find((reply) => reply.status === 200);

    expect(winner).toBeDefined();
    expect((await refresh(api, winner!.body.refresh_token, 0)).status).toBe(400);
    expect((await api.get('/v1/me', { token: winner!.body.access_token })).status).toBe(401);
    const [session] = await app.db.query(
      'SELECT revoked_at, revoke_reason FROM sessions WHERE id = $1',
      [sid],
    );
    expect(session.revoked_at).not.toBeNull();
    expect(session.revoke_reason).toBe('refresh_token_reused');
    const events = await app.db.query(
      `SELECT 1 FROM audit_events WHERE type = 'token.reuse_detected' AND subject_id = $1`,
      [account.id],
    );
    expect(events.length).toBeGreaterThanOrEqual(1);
  });

  it('stores a single successor token however many refreshes race', async () => {
    const { tokens } = await registerAndLogin(api);
    const sid = decodeJwt(tokens.access_token).sid;

    await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => refresh(api, tokens.refresh_token, i)),
    );

    const rows = await app.db.query(
      'SELECT used_at FROM refresh_tokens WHERE session_id = $1 ORDER BY created_at',
      [sid],
    );
    expect(rows).toHaveLength(2);
    expect(rows.filter((row: { used_at: Date | null }) => row.used_at === null)).toHaveLength(1);
  });
});
