import { GOOD_PASSWORD } from './support/accounts';
import { fullwidth } from './support/fullwidth';
import { expectFieldErrors, expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { storedUsers, userCount } from './support/user-queries';

describe('POST /v1/auth/register', () => {
  const { app, api } = appForSuite();

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

      const rows = await storedUsers(app, canonical);
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
      expect(await storedUsers(app, canonical)).toHaveLength(1);
      // The first account's password is untouched by the refused attempts.
      expect((await storedUsers(app, canonical))[0].password_hash).toBe(rows[0].password_hash);
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
      expect(await storedUsers(app, canonical)).toHaveLength(1);
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
      const before = await userCount(app);
      const reply = await api.post('/v1/auth/register', { email, password: GOOD_PASSWORD });
      expectFieldErrors(reply, 'email');
      expect(await userCount(app)).toBe(before);
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
});
