import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { Account, register, Tokens } from './support/accounts';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

const sidOf = (tokens: Tokens) => decodeJwt(tokens.access_token).sid as string;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('/v1/me/sessions', () => {
  const { app, api } = appForSuite();

  /** Logs in with a recognisable user agent. */
  async function loginAs(account: Account, userAgent: string): Promise<Tokens> {
    const reply = await api.post(
      '/v1/auth/login',
      { email: account.email, password: account.password },
      { headers: { 'user-agent': userAgent } },
    );
    expect(reply.status).toBe(200);
    return reply.body;
  }

  const list = (tokens: Tokens) => api.get('/v1/me/sessions', { token: tokens.access_token });
  const end = (tokens: Tokens, id: string) =>
    api.delete(`/v1/me/sessions/${id}`, undefined, { token: tokens.access_token });
  const refresh = (tokens: Tokens) =>
    api.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });

  async function sessionRows(userId: string) {
    return app.db.query(
      'SELECT id, revoked_at, revoke_reason FROM sessions WHERE user_id = $1 ORDER BY id',
      [userId],
    );
  }

  /** Expects the tokens of a session to be refused everywhere. */
  async function expectDead(tokens: Tokens) {
    const me = await api.get('/v1/me', { token: tokens.access_token });
    expectProblem(me, 401, 'unauthenticated');
    expect(me.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    const refreshed = await refresh(tokens);
    expect({ status: refreshed.status, error: refreshed.body?.error }).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  }

  describe('GET', () => {
    it('lists the live sessions, newest first, with current true only on the caller\u2019s', async () => {
      const account = await register(api);
      const laptop = await loginAs(account, 'laptop-browser/1.0');
      const phone = await loginAs(account, 'phone-app/2.0');

      const reply = await list(laptop);
      expect(reply.status).toBe(200);
      expect(reply.body.next_cursor).toBeNull();
      expect(reply.body.items).toHaveLength(2);
      const [newest, oldest] = reply.body.items;
      expect(newest).toEqual({
        id: sidOf(phone),
        current: false,
        amr: ['pwd'],
        ip: '127.0.0.1',
        userAgent: 'phone-app/2.0',
        createdAt: expect.stringMatching(ISO),
        lastRefreshedAt: expect.stringMatching(ISO),
        expiresAt: expect.stringMatching(ISO),
      });
      expect(oldest).toMatchObject({
        id: sidOf(laptop),
        current: true,
        userAgent: 'laptop-browser/1.0',
      });
      expect(Date.parse(oldest.expiresAt)).toBeGreaterThan(Date.now());

      // From the other session, the other one is current.
      const fromPhone = await list(phone);
      expect(
        fromPhone.body.items.map((s: { id: string; current: boolean }) => [s.id, s.current]),
      ).toEqual([
        [sidOf(phone), true],
        [sidOf(laptop), false],
      ]);

      // Nothing secret in the listing.
      for (const secret of [laptop.refresh_token, phone.refresh_token, account.password]) {
        expect(reply.text).not.toContain(secret);
      }
      expect(reply.text).not.toMatch(/token|hash/i);
    });

    it('shows only the caller\u2019s sessions, and not revoked ones', async () => {
      const alice = await register(api);
      const bob = await register(api);
      const aliceTokens = await loginAs(alice, 'a');
      const gone = await loginAs(alice, 'a-gone');
      await loginAs(bob, 'b');
      expect((await api.post('/oauth/revoke', { token: gone.refresh_token })).status).toBe(200);

      const reply = await list(aliceTokens);
      expect(reply.body.items.map((s: { id: string }) => s.id)).toEqual([sidOf(aliceTokens)]);
    });

    it('answers 401 without a token', async () => {
      const reply = await api.get('/v1/me/sessions');
      expectProblem(reply, 401, 'unauthenticated');
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });
  });

  describe('DELETE /v1/me/sessions/:id', () => {
    it('answers 204 and ends that session only', async () => {
      const account = await register(api);
      const keep = await loginAs(account, 'keep');
      const drop = await loginAs(account, 'drop');
      const requestId = `end-session-${randomUUID()}`;

      const reply = await api.delete(`/v1/me/sessions/${sidOf(drop)}`, undefined, {
        token: keep.access_token,
        headers: { 'x-request-id': requestId },
      });
      expect(reply.status).toBe(204);
      expect(reply.text).toBe('');

      await expectDead(drop);
      expect((await api.get('/v1/me', { token: keep.access_token })).status).toBe(200);
      const listed = await list(keep);
      expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([sidOf(keep)]);
      expect((await refresh(keep)).status).toBe(200);

      const rows = await sessionRows(account.id);
      const dropped = rows.find((r: { id: string }) => r.id === sidOf(drop));
      expect(dropped.revoked_at).not.toBeNull();
      expect(dropped.revoke_reason).toBe('revoked_by_user');

      const audit = await app.db.query('SELECT * FROM audit_events WHERE request_id = $1', [
        requestId,
      ]);
      expect(audit).toEqual([
        expect.objectContaining({
          type: 'session.revoked',
          outcome: 'success',
          actor_id: account.id,
          subject_id: account.id,
          details: expect.objectContaining({ sessionId: sidOf(drop), reason: 'revoked_by_user' }),
        }),
      ]);
    });

    it('can end the caller\u2019s own current session (sign out here)', async () => {
      const account = await register(api);
      const here = await loginAs(account, 'here');
      const elsewhere = await loginAs(account, 'elsewhere');
      expect((await end(here, sidOf(here))).status).toBe(204);
      await expectDead(here);
      expect((await api.get('/v1/me', { token: elsewhere.access_token })).status).toBe(200);
    });

    it('answers 404 for a session already ended', async () => {
      const account = await register(api);
      const keep = await loginAs(account, 'keep');
      const drop = await loginAs(account, 'drop');
      expect((await end(keep, sidOf(drop))).status).toBe(204);
      expectProblem(await end(keep, sidOf(drop)), 404, 'not_found');
    });

    it('answers 404 for another user\u2019s session and leaves it alone', async () => {
      const mallory = await register(api);
      const victim = await register(api);
      const malloryTokens = await loginAs(mallory, 'mallory');
      const victimTokens = await loginAs(victim, 'victim');
      const before = await sessionRows(victim.id);
      const requestId = `foreign-session-${randomUUID()}`;

      const reply = await api.delete(`/v1/me/sessions/${sidOf(victimTokens)}`, undefined, {
        token: malloryTokens.access_token,
        headers: { 'x-request-id': requestId },
      });
      expectProblem(reply, 404, 'not_found');

      expect(await sessionRows(victim.id)).toEqual(before);
      expect(before[0].revoked_at).toBeNull();
      expect((await api.get('/v1/me', { token: victimTokens.access_token })).status).toBe(200);
      expect((await refresh(victimTokens)).status).toBe(200);
      // Mallory's own session is untouched too, and nothing was audited as revoked.
      expect((await api.get('/v1/me', { token: malloryTokens.access_token })).status).toBe(200);
      const audit = await app.db.query(
        `SELECT 1 FROM audit_events WHERE request_id = $1 AND type = 'session.revoked'`,
        [requestId],
      );
      expect(audit).toHaveLength(0);
    });

    it.each([
      ['a random uuid', () => randomUUID()],
      ['the nil uuid', () => '00000000-0000-0000-0000-000000000000'],
      ['a non-uuid', () => 'not-a-session-id'],
      ['a number', () => '12345'],
      ['an SQL-looking id', () => encodeURIComponent("' OR '1'='1")],
      ['an uppercase non-uuid of uuid length', () => 'Z'.repeat(36)],
    ])('answers 404 for %s and changes nothing', async (_, id) => {
      const account = await register(api);
      const tokens = await loginAs(account, 'one');
      const other = await loginAs(account, 'two');
      const before = await sessionRows(account.id);

      const reply = await end(tokens, id());
      expectProblem(reply, 404, 'not_found');

      expect(await sessionRows(account.id)).toEqual(before);
      expect((await list(tokens)).body.items).toHaveLength(2);
      expect((await api.get('/v1/me', { token: other.access_token })).status).toBe(200);
    });

    it('answers 401 without a token and changes nothing', async () => {
      const account = await register(api);
      const tokens = await loginAs(account, 'one');
      const reply = await api.delete(`/v1/me/sessions/${sidOf(tokens)}`);
      expectProblem(reply, 401, 'unauthenticated');
      expect((await api.get('/v1/me', { token: tokens.access_token })).status).toBe(200);
    });
  });
});
