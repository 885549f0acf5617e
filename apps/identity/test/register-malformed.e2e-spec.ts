import { GOOD_PASSWORD, uniqueEmail } from './support/accounts';
import { expectFieldErrors } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { storedUsers, userCount } from './support/user-queries';

describe('POST /v1/auth/register', () => {
  const { app, api } = appForSuite();

  describe('malformed requests', () => {
    it.each([
      ['an array', '[]'],
      ['a string', '"hello"'],
      ['null', 'null'],
      ['broken JSON', '{"email": '],
    ])('refuses a body that is %s with a 400 problem', async (_, raw) => {
      const before = await userCount(app);
      const reply = await api.post('/v1/auth/register', undefined, {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({ status: 400, code: expect.any(String) });
      expect(await userCount(app)).toBe(before);
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
        expect(await storedUsers(app, email)).toHaveLength(0);
      }
    });
  });
});
