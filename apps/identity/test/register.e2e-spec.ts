import { dictionary } from '@zxcvbn-ts/language-common';
import { GOOD_PASSWORD, uniqueEmail } from './support/accounts';
import { client, Client, Reply } from './support/http';
import { createTestDatabase, startApp, TestApp } from './support/test-app';

/** The problem-details shape every non-OAuth error has (RFC 9457). */
function expectProblem(reply: Reply, status: number, code: string) {
  expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code });
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({
    type: expect.stringMatching(/\S/),
    title: expect.stringMatching(/\S/),
    status,
    code,
  });
}

/** A 400 whose every field error names `field` (and there is at least one). */
function expectFieldErrors(reply: Reply, field: string) {
  expectProblem(reply, 400, 'validation_failed');
  expect(reply.body.errors).toEqual(expect.arrayContaining([expect.anything()]));
  for (const error of reply.body.errors) {
    expect(error).toEqual({ field, message: expect.stringMatching(/\S/) });
  }
}

/** Fullwidth (U+FF01..U+FF5E) form of printable ASCII, which NFKC folds back. */
function fullwidth(value: string): string {
  return value.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** `count` distinct emoji from U+1F300 on: one code point, two UTF-16 units, four bytes each. */
function emoji(count: number, from = 0x1f300): string {
  return Array.from({ length: count }, (_, i) => String.fromCodePoint(from + i)).join('');
}

/** Not common, not repetitive: any length of it is acceptable by content. */
function varied(length: number): string {
  const text = 'the quick brown fox jumps over the lazy dog, 0123456789; ';
  return text.repeat(Math.ceil(length / text.length)).slice(0, length);
}

const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

describe('POST /v1/auth/register', () => {
  let app: TestApp;
  let api: Client;

  beforeAll(async () => {
    app = await startApp();
    api = client(app.url);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function storedUsers(email: string) {
    return app.db.query<{ id: string; email: string; password_hash: string }[]>(
      'SELECT id, email, password_hash FROM users WHERE email = $1',
      [email],
    );
  }

  async function userCount(): Promise<number> {
    const [row] = await app.db.query('SELECT count(*)::int AS n FROM users');
    return row.n;
  }

  async function rolesOf(userId: string): Promise<string[]> {
    const rows: { name: string }[] = await app.db.query(
      `SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
       WHERE ur.user_id = $1 ORDER BY r.name`,
      [userId],
    );
    return rows.map((r) => r.name);
  }

  describe('success', () => {
    it('answers 201 with the public profile and nothing secret', async () => {
      const email = uniqueEmail('reg');
      const before = Date.now();
      const reply = await api.post('/v1/auth/register', { email, password: GOOD_PASSWORD });

      expect(reply.status).toBe(201);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Object.keys(reply.body).sort()).toEqual(
        ['createdAt', 'displayName', 'email', 'id', 'mfaEnabled', 'roles'].sort(),
      );
      expect(reply.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        email,
        displayName: null,
        roles: ['user'],
        mfaEnabled: false,
        createdAt: expect.any(String),
      });
      const createdAt = Date.parse(reply.body.createdAt);
      expect(new Date(createdAt).toISOString()).toBe(reply.body.createdAt);
      expect(createdAt).toBeGreaterThan(before - 60_000);
      expect(createdAt).toBeLessThan(Date.now() + 60_000);

      // Neither the password nor its hash, under any name, is in the answer.
      expect(reply.text).not.toContain(GOOD_PASSWORD);
      expect(reply.text).not.toMatch(/password|hash|\$2[aby]\$|\$argon2|\$bcrypt/i);

      const [row] = await storedUsers(email);
      expect(row.id).toBe(reply.body.id);
      expect(row.password_hash).toMatch(/^\$bcrypt-sha256\$\$2b\$10\$/);
      expect(row.password_hash).not.toContain(GOOD_PASSWORD);
      expect(await rolesOf(row.id)).toEqual(['user']);
    });

    it('stores a trimmed display name', async () => {
      const reply = await api.post('/v1/auth/register', {
        email: uniqueEmail('named'),
        password: GOOD_PASSWORD,
        displayName: '  Ada Lovelace  ',
      });
      expect(reply.status).toBe(201);
      expect(reply.body.displayName).toBe('Ada Lovelace');
    });

    it('records user.created in the audit trail without the password', async () => {
      const requestId = `reg-audit-${Date.now()}`;
      const reply = await api.post(
        '/v1/auth/register',
        { email: uniqueEmail('audit'), password: GOOD_PASSWORD },
        { headers: { 'x-request-id': requestId } },
      );
      expect(reply.status).toBe(201);
      const rows = await app.db.query('SELECT * FROM audit_events WHERE request_id = $1', [
        requestId,
      ]);
      expect(rows).toEqual([
        expect.objectContaining({
          type: 'user.created',
          outcome: 'success',
          subject_id: reply.body.id,
        }),
      ]);
      expect(JSON.stringify(rows)).not.toContain(GOOD_PASSWORD);
    });
  });

  describe('email normalisation', () => {
    it('stores trim + NFKC + lowercase, and every other form of it is taken (409)', async () => {
      const local = `alice-${Date.now().toString(36)}`;
      const canonical = `${local}@example.com`;

      const first = await api.post('/v1/auth/register', {
        email: `  ${local.toUpperCase()}@Example.com `,
        password: GOOD_PASSWORD,
      });
      expect(first.status).toBe(201);
      expect(first.body.email).toBe(canonical);

      const rows = await storedUsers(canonical);
      expect(rows).toHaveLength(1);
      expect(rows[0].email).toBe(canonical);

      for (const again of [
        canonical,
        canonical.toUpperCase(),
        `\t${canonical}\n`,
        fullwidth(canonical),
        fullwidth(canonical.toUpperCase()),
      ]) {
        const reply = await api.post('/v1/auth/register', {
          email: again,
          password: 'another perfectly fine passphrase',
        });
        expectProblem(reply, 409, 'email_taken');
        expect(reply.text).not.toContain('another perfectly fine passphrase');
      }
      expect(await storedUsers(canonical)).toHaveLength(1);
      // The first account's password is untouched by the refused attempts.
      expect((await storedUsers(canonical))[0].password_hash).toBe(rows[0].password_hash);
    });

    it('lets the account log in with any form of the email', async () => {
      const local = `bob-${Date.now().toString(36)}`;
      const canonical = `${local}@example.com`;
      expect(
        (
          await api.post('/v1/auth/register', {
            email: fullwidth(canonical),
            password: GOOD_PASSWORD,
          })
        ).status,
      ).toBe(201);
      expect(await storedUsers(canonical)).toHaveLength(1);
      for (const form of [canonical, ` ${canonical.toUpperCase()} `, fullwidth(canonical)]) {
        const reply = await api.post('/v1/auth/login', { email: form, password: GOOD_PASSWORD });
        expect(reply.status).toBe(200);
      }
    });

    it.each([
      ['no @', 'alice.example.com'],
      ['no dot in the domain', 'alice@example'],
      ['two @', 'alice@@example.com'],
      ['a space inside', 'ali ce@example.com'],
      ['a control character', 'alice@exa\u0007mple.com'],
      ['only spaces', '   '],
      ['empty', ''],
    ])('refuses an invalid email (%s) with 400 on field email', async (_, email) => {
      const before = await userCount();
      const reply = await api.post('/v1/auth/register', { email, password: GOOD_PASSWORD });
      expectFieldErrors(reply, 'email');
      expect(await userCount()).toBe(before);
    });

    it('refuses an email that is not a string, or missing', async () => {
      for (const body of [
        { email: 42, password: GOOD_PASSWORD },
        { email: ['a@example.com'], password: GOOD_PASSWORD },
        { password: GOOD_PASSWORD },
      ]) {
        expectFieldErrors(await api.post('/v1/auth/register', body), 'email');
      }
    });
  });

  describe('password policy', () => {
    // PASSWORD_MIN_LENGTH is 15 by default; lengths are code points after NFKC.
    const refused: [string, string][] = [
      ['14 characters, one short of the minimum', 'amber kite 7 g'],
      ['14 emoji (28 UTF-16 units, 56 bytes, but 14 code points)', emoji(14)],
      ['129 code points', varied(129)],
      ['129 emoji', emoji(129)],
      ['10,000 characters', varied(10_000)],
      ['a NUL byte', 'correct horse\u0000battery staple'],
      ['a common password (long list entry)', '1qaz2wsx3edc4rfv'],
      ['a common password in another case', 'QWERTY123456789'],
      ['a fullwidth common password (NFKC folds it)', fullwidth('1qaz2wsx3edc4rfv')],
      ['a repeated short unit', 'xq7!xq7!xq7!xq7!'],
      ['one character repeated', 'zzzzzzzzzzzzzzzzzzzz'],
      ['an empty string', ''],
    ];

    it('uses list entries that really are on the common list, and repetitions that are not', () => {
      expect(COMMON.has('1qaz2wsx3edc4rfv')).toBe(true);
      expect(COMMON.has('qwerty123456789')).toBe(true);
      expect(COMMON.has('xq7!xq7!xq7!xq7!')).toBe(false);
      expect(COMMON.has('zzzzzzzzzzzzzzzzzzzz')).toBe(false);
    });

    it.each(refused)('refuses %s: 400 on field password, nothing stored', async (_, password) => {
      const email = uniqueEmail('weak');
      const before = await userCount();
      const reply = await api.post('/v1/auth/register', { email, password });
      expectFieldErrors(reply, 'password');
      if (password.length >= 8) expect(reply.text).not.toContain(password);
      expect(await storedUsers(email)).toHaveLength(0);
      expect(await userCount()).toBe(before);
    });

    it('refuses a password that is not a string, or missing', async () => {
      for (const password of [123456789012345678, null, { a: 1 }, undefined]) {
        const email = uniqueEmail('typed');
        const reply = await api.post('/v1/auth/register', { email, password });
        expectFieldErrors(reply, 'password');
        expect(await storedUsers(email)).toHaveLength(0);
      }
    });

    it.each([
      ['exactly 15 characters', 'amber kite 7 go'],
      ['exactly 128 code points', varied(128)],
      ['15 emoji', emoji(15)],
      ['128 emoji', emoji(128)],
    ])('accepts %s, which then logs in', async (_, password) => {
      const email = uniqueEmail('edge');
      expect((await api.post('/v1/auth/register', { email, password })).status).toBe(201);
      expect((await api.post('/v1/auth/login', { email, password })).status).toBe(200);
    });

    it('compares emoji passwords exactly: a different emoji or one fewer does not log in', async () => {
      const email = uniqueEmail('emoji');
      const password = `🦊 fox and 🐻 bear at 🌲 dawn`;
      expect((await api.post('/v1/auth/register', { email, password })).status).toBe(201);
      expect((await api.post('/v1/auth/login', { email, password })).status).toBe(200);
      for (const wrong of [
        password.replace('🐻', '🐼'),
        password.replace('🌲', ''),
        password.replace('🦊', '🦊🦊'),
      ]) {
        const reply = await api.post('/v1/auth/login', { email, password: wrong });
        expectProblem(reply, 401, 'invalid_credentials');
      }
    });

    it('normalises passwords with NFKC: composed and decomposed accents are one password', async () => {
      const email = uniqueEmail('nfkc');
      const decomposed = 'cafe\u0301 au lait every morning';
      const composed = 'caf\u00e9 au lait every morning';
      expect((await api.post('/v1/auth/register', { email, password: decomposed })).status).toBe(
        201,
      );
      expect((await api.post('/v1/auth/login', { email, password: composed })).status).toBe(200);
      // Case is kept.
      const upper = composed.toUpperCase();
      expectProblem(
        await api.post('/v1/auth/login', { email, password: upper }),
        401,
        'invalid_credentials',
      );
    });

    it('uses the whole of a password longer than 72 bytes: its 72-byte prefix does not log in', async () => {
      const email = uniqueEmail('long');
      const password =
        'this passphrase is deliberately longer than seventy-two bytes, so plain bcrypt would cut it';
      expect(Buffer.byteLength(password)).toBeGreaterThan(72);
      const prefix = Buffer.from(password).subarray(0, 72).toString('utf8');

      expect((await api.post('/v1/auth/register', { email, password })).status).toBe(201);
      expect((await api.post('/v1/auth/login', { email, password })).status).toBe(200);
      for (const wrong of [prefix, `${prefix}X`, `${password.slice(0, -1)}T`]) {
        expectProblem(
          await api.post('/v1/auth/login', { email, password: wrong }),
          401,
          'invalid_credentials',
        );
      }
    });

    it('does the same for a multi-byte password past 72 bytes (20 emoji = 80 bytes)', async () => {
      const email = uniqueEmail('long-emoji');
      const password = emoji(20, 0x1f400);
      expect(Buffer.byteLength(password)).toBe(80);
      const prefix = [...password].slice(0, 18).join(''); // 72 bytes
      const otherTail = [...password].slice(0, 19).join('') + String.fromCodePoint(0x1f4ff);

      expect((await api.post('/v1/auth/register', { email, password })).status).toBe(201);
      expect((await api.post('/v1/auth/login', { email, password })).status).toBe(200);
      for (const wrong of [prefix, otherTail]) {
        expectProblem(
          await api.post('/v1/auth/login', { email, password: wrong }),
          401,
          'invalid_credentials',
        );
      }
    });
  });

  describe('mass assignment', () => {
    it.each([
      ['roles', { roles: ['admin'] }],
      ['id', { id: '00000000-0000-4000-8000-000000000001' }],
      ['disabled', { disabled: false }],
      ['mfaEnabled', { mfaEnabled: true }],
      [
        'passwordHash',
        { passwordHash: '$2b$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01' },
      ],
    ])('refuses an extra %s field with 400 and stores nothing', async (field, extra) => {
      const email = uniqueEmail('mass');
      const reply = await api.post('/v1/auth/register', {
        email,
        password: GOOD_PASSWORD,
        ...extra,
      });
      expectProblem(reply, 400, 'validation_failed');
      expect(reply.body.errors).toEqual(
        expect.arrayContaining([{ field, message: expect.any(String) }]),
      );
      expect(await storedUsers(email)).toHaveLength(0);
    });

    it('leaves the account holding only the user role once registered properly', async () => {
      const email = uniqueEmail('mass-ok');
      const refused = await api.post('/v1/auth/register', {
        email,
        password: GOOD_PASSWORD,
        roles: ['admin', 'user'],
      });
      expect(refused.status).toBe(400);
      const reply = await api.post('/v1/auth/register', { email, password: GOOD_PASSWORD });
      expect(reply.status).toBe(201);
      expect(reply.body.roles).toEqual(['user']);
      expect(await rolesOf(reply.body.id)).toEqual(['user']);
      const [row] = await app.db.query('SELECT disabled_at FROM users WHERE id = $1', [
        reply.body.id,
      ]);
      expect(row.disabled_at).toBeNull();
    });

    it('does not let a crafted id choose the account id', async () => {
      const wanted = '00000000-0000-4000-8000-00000000beef';
      await api.post('/v1/auth/register', {
        email: uniqueEmail(),
        password: GOOD_PASSWORD,
        id: wanted,
      });
      const rows = await app.db.query('SELECT 1 FROM users WHERE id = $1', [wanted]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('malformed requests', () => {
    it.each([
      ['an array', '[]'],
      ['a string', '"hello"'],
      ['null', 'null'],
      ['broken JSON', '{"email": '],
    ])('refuses a body that is %s with a 400 problem', async (_, raw) => {
      const before = await userCount();
      const reply = await api.post('/v1/auth/register', undefined, {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({ status: 400, code: expect.any(String) });
      expect(await userCount()).toBe(before);
    });

    it('refuses a display name that is empty or longer than 100 characters', async () => {
      for (const displayName of ['', 'n'.repeat(101), 7]) {
        const email = uniqueEmail('dn');
        const reply = await api.post('/v1/auth/register', {
          email,
          password: GOOD_PASSWORD,
          displayName,
        });
        expectFieldErrors(reply, 'displayName');
        expect(await storedUsers(email)).toHaveLength(0);
      }
    });
  });
});

describe('POST /v1/auth/register with REGISTRATION=closed', () => {
  it('answers 403 registration_closed, stores nothing, and existing accounts still log in', async () => {
    const database = await createTestDatabase();
    const email = uniqueEmail('before-close');
    try {
      const open = await startApp({}, database);
      try {
        const reply = await client(open.url).post('/v1/auth/register', {
          email,
          password: GOOD_PASSWORD,
        });
        expect(reply.status).toBe(201);
      } finally {
        await open.stop();
      }

      const closed = await startApp({ REGISTRATION: 'closed' }, database);
      try {
        const api = client(closed.url);
        const newcomer = uniqueEmail('after-close');
        const reply = await api.post('/v1/auth/register', {
          email: newcomer,
          password: GOOD_PASSWORD,
        });
        expectProblem(reply, 403, 'registration_closed');
        const rows = await closed.db.query('SELECT email FROM users');
        expect(rows.map((r: { email: string }) => r.email)).toEqual([email]);

        // Even an otherwise invalid request learns nothing more than that registration is closed.
        expectProblem(
          await api.post('/v1/auth/register', { email: 'x', password: 'y' }),
          403,
          'registration_closed',
        );

        const login = await api.post('/v1/auth/login', { email, password: GOOD_PASSWORD });
        expect(login.status).toBe(200);
      } finally {
        await closed.stop();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('POST /v1/auth/register with PASSWORD_MIN_LENGTH=8', () => {
  let app: TestApp;
  let api: Client;

  beforeAll(async () => {
    app = await startApp({ PASSWORD_MIN_LENGTH: '8' });
    api = client(app.url);
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each([['password123'], ['Password123'], ['PASSWORD123'], ['iloveyou']])(
    'refuses the common password %s with 400 on field password',
    async (password) => {
      expect(COMMON.has(password.toLowerCase())).toBe(true);
      const email = uniqueEmail('common');
      const reply = await api.post('/v1/auth/register', { email, password });
      expectFieldErrors(reply, 'password');
      expect(await app.db.query('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
    },
  );

  it('refuses 7 characters and accepts 8 that are not common', async () => {
    expectFieldErrors(
      await api.post('/v1/auth/register', { email: uniqueEmail(), password: 'tq8#Lm2' }),
      'password',
    );
    const reply = await api.post('/v1/auth/register', {
      email: uniqueEmail(),
      password: 'tq8#Lm2v',
    });
    expect(reply.status).toBe(201);
  });
});
