import { randomUUID } from 'node:crypto';
import { accountWithRoles, ADMIN_SUITE_ENV, adminToken, createRoleInDb } from './support/admin';
import { createUser, USERS } from './support/admin-users';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('GET /v1/admin/users', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);
  let token: string;

  beforeAll(async () => {
    await createRoleInDb(app, 'reader', ['user:read']);
    token = (await accountWithRoles(app, api, ['reader'])).token;
  });

  /** Every page of `query`, following next_cursor, `limit` at a time. */
  async function allPages(query: string, limit: number) {
    const pages: { id: string; email: string }[][] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor ? `&cursor=${cursor}` : '';
      const reply = await api.get(`${USERS}?${query}&limit=${limit}${after}`, { token });
      expect(reply.status).toBe(200);
      pages.push(reply.body.items);
      cursor = reply.body.next_cursor;
    } while (cursor && pages.length < 50);
    return pages;
  }

  it('shows each user with roles and flags, and never a hash', async () => {
    const created = await createUser(api, await adminToken(api), { displayName: 'Listed Person' });
    const reply = await api.get(`${USERS}?email=${encodeURIComponent(created.email)}`, { token });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      items: [
        {
          id: created.id,
          email: created.email,
          displayName: 'Listed Person',
          roles: ['user'],
          mfaEnabled: false,
          disabled: false,
          createdAt: expect.stringMatching(ISO),
          updatedAt: expect.stringMatching(ISO),
        },
      ],
      next_cursor: null,
    });
    expect(reply.text).not.toMatch(/\$2[aby]\$|argon2|password/i);
  });

  it('walks every user exactly once, oldest first, across pages', async () => {
    const admin = await adminToken(api);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await createUser(api, admin, { email: `walk-${i}-${randomUUID()}@pages.test` })).id,
      );
    }

    const pages = await allPages('email=walk-', 2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((user) => user.id)).toEqual(ids);
  });

  it('pages the whole directory without gaps or repeats', async () => {
    const [{ n }] = await app.db.query('SELECT count(*)::int AS n FROM users');
    const seen = (await allPages('', 3)).flat().map((user) => user.id);
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });

  it('filters by the start of the normalised email', async () => {
    const admin = await adminToken(api);
    const tag = randomUUID().slice(0, 8);
    const match = await createUser(api, admin, { email: `Prefix.${tag}@example.com` });
    await createUser(api, admin, { email: `other.${tag}@example.com` });

    const reply = await api.get(`${USERS}?email=${encodeURIComponent(` PREFIX.${tag}`)}`, {
      token,
    });
    expect(reply.body.items.map((user: { id: string }) => user.id)).toEqual([match.id]);
  });

  it('takes % and _ in the email filter literally', async () => {
    const admin = await adminToken(api);
    const tag = randomUUID().slice(0, 8);
    const literal = await createUser(api, admin, { email: `a_b%${tag}@example.com` });
    await createUser(api, admin, { email: `axb${tag}@example.com` });

    for (const prefix of ['a_b%', 'a_b']) {
      const reply = await api.get(`${USERS}?email=${encodeURIComponent(prefix)}`, { token });
      expect(reply.body.items.map((user: { id: string }) => user.id)).toEqual([literal.id]);
    }
    const wildcard = await api.get(`${USERS}?email=${encodeURIComponent('%')}`, { token });
    expect(wildcard.body.items).toEqual([]);
  });

  it('filters by role name', async () => {
    await createRoleInDb(app, 'auditor', []);
    const admin = await adminToken(api);
    const auditor = await createUser(api, admin, { roles: ['auditor'] });

    const reply = await api.get(`${USERS}?role=auditor`, { token });
    expect(reply.body.items).toEqual([
      expect.objectContaining({ id: auditor.id, roles: ['auditor', 'user'] }),
    ]);
    const admins = await api.get(`${USERS}?role=admin`, { token });
    expect(admins.body.items.map((user: { roles: string[] }) => user.roles)).toEqual([
      ['admin', 'user'],
    ]);
    const none = await api.get(`${USERS}?role=${encodeURIComponent("x' OR '1'='1")}`, { token });
    expect(none.body).toEqual({ items: [], next_cursor: null });
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    [
      'a key of the wrong length',
      Buffer.from('["2026-01-01T00:00:00.000000Z"]').toString('base64url'),
    ],
    [
      'a key that is not a date',
      Buffer.from(`["yesterday","${randomUUID()}"]`).toString('base64url'),
    ],
    [
      'an impossible date',
      Buffer.from(`["2026-02-30T00:00:00.000000Z","${randomUUID()}"]`).toString('base64url'),
    ],
    [
      'an id that is not a uuid',
      Buffer.from('["2026-01-01T00:00:00.000000Z","1"]').toString('base64url'),
    ],
  ])('refuses a cursor holding %s with 400', async (_, cursor) => {
    const reply = await api.get(`${USERS}?cursor=${cursor}`, { token });
    expectFieldErrors(reply, 'cursor');
  });

  it.each(['0', '201', 'ten', '1.5', '-1'])('refuses limit=%s with 400', async (limit) => {
    const reply = await api.get(`${USERS}?limit=${limit}`, { token });
    expectFieldErrors(reply, 'limit');
  });

  it('refuses an unknown or repeated query parameter with 400', async () => {
    expectProblem(
      await api.get(`${USERS}?sort=password_hash`, { token }),
      400,
      'validation_failed',
    );
    expectProblem(await api.get(`${USERS}?role=a&role=b`, { token }), 400, 'validation_failed');
  });
});

describe('GET /v1/admin/users/:id', () => {
  const { app, api } = appForSuite(ADMIN_SUITE_ENV);

  it('shows one user to a holder of user:read', async () => {
    await createRoleInDb(app, 'reader', ['user:read']);
    const { account, token } = await accountWithRoles(app, api, ['reader']);
    const reply = await api.get(`${USERS}/${account.id}`, { token });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: account.id,
      email: account.email,
      roles: ['reader', 'user'],
      disabled: false,
      mfaEnabled: false,
    });
    expect(Object.keys(reply.body).sort()).toEqual([
      'createdAt',
      'disabled',
      'displayName',
      'email',
      'id',
      'mfaEnabled',
      'roles',
      'updatedAt',
    ]);
  });

  it.each([randomUUID(), 'not-a-uuid', "1' OR '1'='1", '0'.repeat(80)])(
    'answers 404 not_found for the id %s',
    async (id) => {
      const token = await adminToken(api);
      expectProblem(
        await api.get(`${USERS}/${encodeURIComponent(id)}`, { token }),
        404,
        'not_found',
      );
    },
  );
});
