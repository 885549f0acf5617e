import { decodeJwt } from 'jose';
import { RevocationPruner } from '../src/revocations/revocation-pruner';
import { login, register, registerAndLogin, type Account } from './support/accounts';
import { ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { clientAccessToken, createClient } from './support/clients';
import type { Reply } from './support/http';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { ON_POSTGRES } from './support/test-database';

const FEED = '/v1/revocations';
const USERS = '/v1/admin/users';
const NEW_PASSWORD = 'copper kites circle 19 silent harbours';

const sidOf = (accessToken: string) => decodeJwt(accessToken).sid as string;

describe('the revocation feed', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let admin: string;
  /** A service client holding authz:check. */
  let follower: string;

  const feed = (query: string, token = follower): Promise<Reply> =>
    api.get(`${FEED}${query}`, { token });
  const cursorNow = async () => (await feed('')).body.cursor as string;
  const since = async (cursor: string) => {
    const reply = await feed(`?since=${encodeURIComponent(cursor)}`);
    if (reply.status !== 200) throw new Error(`feed answered ${reply.status}: ${reply.text}`);
    return reply.body as { cursor: string; sessions: string[]; subjects: string[] };
  };
  const logout = (refreshToken: string) => api.post('/oauth/revoke', { token: refreshToken });

  beforeAll(async () => {
    admin = await adminToken(api);
    await createRoleInDb(app, 'authz-service', ['authz:check']);
    const client = await createClient(api, admin, ['authz-service'], 'revocation follower');
    follower = await clientAccessToken(api, client);
  });

  it('starts a new follower from now, with nothing to report', async () => {
    const { tokens } = await registerAndLogin(api);
    await logout(tokens.refresh_token);

    const reply = await feed('');

    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toEqual({ cursor: expect.any(String), sessions: [], subjects: [] });
    expect(await since(reply.body.cursor)).toEqual({
      cursor: expect.any(String),
      sessions: [],
      subjects: [],
    });
  });

  /** Each way a token stops counting, and what the feed must then name. */
  const causes: [string, (account: Account, tokens: Tokens) => Promise<Named>][] = [
    [
      'a logout',
      async (_, tokens) => {
        await logout(tokens.refresh_token);
        return { sessions: [sidOf(tokens.access_token)] };
      },
    ],
    [
      'a password change, for the other sessions',
      async (account, tokens) => {
        const other = await login(api, account);
        const body = { currentPassword: account.password, newPassword: NEW_PASSWORD };
        await api.post('/v1/me/password', body, { token: tokens.access_token });
        return { sessions: [sidOf(other.access_token)] };
      },
    ],
    [
      'an admin disabling the user',
      async (account, tokens) => {
        await api.patch(`${USERS}/${account.id}`, { disabled: true }, { token: admin });
        return { subjects: [account.id], sessions: [sidOf(tokens.access_token)] };
      },
    ],
    [
      'an admin deleting the user',
      async (account) => {
        await api.delete(`${USERS}/${account.id}`, undefined, { token: admin });
        return { subjects: [account.id] };
      },
    ],
    [
      'the user erasing their account',
      async (account, tokens) => {
        await api.delete('/v1/me', { password: account.password }, { token: tokens.access_token });
        return { subjects: [account.id] };
      },
    ],
    [
      'a refresh token used twice',
      async (_, tokens) => {
        const refresh = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
        await api.post('/oauth/token', refresh);
        await api.post('/oauth/token', refresh);
        return { sessions: [sidOf(tokens.access_token)] };
      },
    ],
  ];
  type Tokens = Awaited<ReturnType<typeof login>>;
  type Named = { sessions?: string[]; subjects?: string[] };

  it.each(causes)('names what %s revoked', async (_, cause) => {
    const { account, tokens } = await registerAndLogin(api);
    const cursor = await cursorNow();

    const named = await cause(account, tokens);

    const answer = await since(cursor);
    expect(answer.sessions).toEqual(expect.arrayContaining(named.sessions ?? []));
    expect(answer.subjects).toEqual(named.subjects ?? []);
    expect(answer.cursor).not.toBe(cursor);
  });

  it('answers only what was recorded after the cursor', async () => {
    const first = await registerAndLogin(api);
    const second = await registerAndLogin(api);
    const start = await cursorNow();
    await logout(first.tokens.refresh_token);
    const middle = (await since(start)).cursor;

    await logout(second.tokens.refresh_token);

    const answer = await since(middle);
    expect(answer.sessions).toEqual([sidOf(second.tokens.access_token)]);
    expect((await since(answer.cursor)).sessions).toEqual([]);
  });

  it('records nothing for a change that was rolled back', async () => {
    const { tokens } = await registerAndLogin(api);
    const cursor = await cursorNow();

    await app.db
      .transaction(async (manager) => {
        await manager.query('UPDATE sessions SET revoked_at = now() WHERE id = $1', [
          sidOf(tokens.access_token),
        ]);
        throw new Error('rolled back on purpose');
      })
      .catch(() => undefined);

    expect((await since(cursor)).sessions).toEqual([]);
  });

  // Two transactions at once need two connections, which PGlite does not have.
  (ON_POSTGRES ? it : it.skip)(
    'delivers a revocation that commits after a later one was read, and is not held up by it',
    async () => {
      const slow = await registerAndLogin(api);
      const fast = await registerAndLogin(api);
      const cursor = await cursorNow();
      const open = app.db.createQueryRunner();
      await open.startTransaction();
      try {
        // Written first (lower seq), committed last.
        await open.query('UPDATE sessions SET revoked_at = now() WHERE id = $1', [
          sidOf(slow.tokens.access_token),
        ]);
        await logout(fast.tokens.refresh_token);
        const first = await since(cursor);
        expect(first.sessions).toEqual([sidOf(fast.tokens.access_token)]);

        await open.commitTransaction();

        expect((await since(first.cursor)).sessions).toEqual([sidOf(slow.tokens.access_token)]);
      } finally {
        if (open.isTransactionActive) await open.rollbackTransaction();
        await open.release();
      }
    },
  );

  it('holds a long poll until a revocation happens, and answers it at once', async () => {
    const { tokens } = await registerAndLogin(api);
    const cursor = await cursorNow();
    const started = Date.now();

    const held = feed(`?since=${encodeURIComponent(cursor)}&wait=30`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await logout(tokens.refresh_token);
    const reply = await held;

    expect(reply.status).toBe(200);
    expect(reply.body.sessions).toEqual([sidOf(tokens.access_token)]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('answers a long poll empty once the wait is over', async () => {
    const cursor = await cursorNow();
    const started = Date.now();

    const reply = await feed(`?since=${encodeURIComponent(cursor)}&wait=1`);

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ sessions: [], subjects: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('answers 410 cursor_expired to a cursor older than what is kept', async () => {
    const { tokens } = await registerAndLogin(api);
    const cursor = await cursorNow();
    await logout(tokens.refresh_token);
    // As if the retention time had passed for everything recorded so far.
    await app.db.query(`UPDATE revocations SET at = at - interval '2 days'`);
    expect(await app.app.get(RevocationPruner).prune()).toBeGreaterThan(0);

    expectProblem(await feed(`?since=${encodeURIComponent(cursor)}`), 410, 'cursor_expired');
    expect((await since(await cursorNow())).sessions).toEqual([]);
  });

  it('answers 400 to a cursor it did not give out and to a wait out of range', async () => {
    const cursor = encodeURIComponent(await cursorNow());
    for (const query of ['?since=garbage', '?since=', `?since=${cursor}&since=${cursor}`]) {
      expectFieldErrors(await feed(query), 'since');
    }
    for (const wait of ['31', '-1', 'soon', '1.5']) {
      expectFieldErrors(await feed(`?since=${cursor}&wait=${wait}`), 'wait');
    }
    expectProblem(await feed(`?since=${cursor}&limit=5`), 400, 'validation_failed');
  });

  it('is refused to users, even admins, and to clients without authz:check', async () => {
    const user = await login(api, await register(api));
    const plainClient = await createClient(api, admin, [], 'no feed for this one');
    const plain = await clientAccessToken(api, plainClient);

    for (const token of [user.access_token, admin, plain]) {
      expectProblem(await feed('', token), 403, 'forbidden');
    }
  });

  it('answers 401 with a Bearer challenge without a token', async () => {
    const reply = await api.get(FEED);

    expectProblem(reply, 401, 'unauthenticated');
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
