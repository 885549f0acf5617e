import { GOOD_PASSWORD, uniqueEmail } from './support/accounts';
import { appForSuite } from './support/suite-app';
import { rolesOf, storedUsers } from './support/user-queries';

describe('POST /v1/auth/register', () => {
  const { app, api } = appForSuite();

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

      const [row] = await storedUsers(app, email);
      expect(row.id).toBe(reply.body.id);
      expect(row.password_hash).toMatch(/^\$bcrypt-sha256\$\$2b\$10\$/);
      expect(row.password_hash).not.toContain(GOOD_PASSWORD);
      expect(await rolesOf(app, row.id)).toEqual(['user']);
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
});
