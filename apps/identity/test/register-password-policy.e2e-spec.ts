import { dictionary } from '@zxcvbn-ts/language-common';
import { uniqueEmail } from './support/accounts';
import { fullwidth } from './support/fullwidth';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { storedUsers, userCount } from './support/user-queries';

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
  const { app, api } = appForSuite();

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
      const before = await userCount(app);
      const reply = await api.post('/v1/auth/register', { email, password });
      expectFieldErrors(reply, 'password');
      if (password.length >= 8) expect(reply.text).not.toContain(password);
      expect(await storedUsers(app, email)).toHaveLength(0);
      expect(await userCount(app)).toBe(before);
    });

    it('refuses a password that is not a string, or missing', async () => {
      for (const password of [123456789012345678, null, { a: 1 }, undefined]) {
        const email = uniqueEmail('typed');
        const reply = await api.post('/v1/auth/register', { email, password });
        expectFieldErrors(reply, 'password');
        expect(await storedUsers(app, email)).toHaveLength(0);
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
});

describe('POST /v1/auth/register with PASSWORD_MIN_LENGTH=8', () => {
  const { app, api } = appForSuite({ PASSWORD_MIN_LENGTH: '8' });

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
