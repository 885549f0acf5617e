import { GOOD_PASSWORD, uniqueEmail } from './support/accounts';
import { client } from './support/http';
import { expectProblem } from './support/problem-details';
import { createTestDatabase, startApp } from './support/test-app';

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
