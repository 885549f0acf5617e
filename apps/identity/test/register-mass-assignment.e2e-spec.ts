import { GOOD_PASSWORD, uniqueEmail } from './support/accounts';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { rolesOf, storedUsers } from './support/user-queries';

describe('POST /v1/auth/register', () => {
  const { app, api } = appForSuite();

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
      expect(await storedUsers(app, email)).toHaveLength(0);
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
      expect(await rolesOf(app, reply.body.id)).toEqual(['user']);
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
});
