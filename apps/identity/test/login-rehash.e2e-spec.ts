import { randomUUID } from 'node:crypto';
import * as bcrypt from 'bcrypt';
import { decodeJwt } from 'jose';
import { bcryptHash } from '../src/passwords/bcrypt-scheme';
import { login, register, uniqueEmail } from './support/accounts';
import { auditByRequest } from './support/audit-queries';
import { creds } from './support/credentials';
import { client } from './support/http';
import { expectProblem } from './support/problem-details';
import { appForSuite } from './support/suite-app';
import { createTestDatabase, startApp } from './support/test-app';
import { storedHash } from './support/user-queries';

/** Tessera's own bcrypt form at the test cost (BCRYPT_COST=10 in startApp). */
const CURRENT_BCRYPT = /^\$bcrypt-sha256\$\$2b\$10\$[./A-Za-z0-9]{53}$/;
const ARGON2ID = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

describe('POST /v1/auth/login', () => {
  const { app, api } = appForSuite();

  describe('rehashing on login', () => {
    /** Sets the stored hash, logs in, and returns the hash stored afterwards. */
    async function loginWithStoredHash(
      userId: string,
      email: string,
      password: string,
      hash: string,
    ) {
      await app.db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, hash]);
      const requestId = `rehash-${randomUUID()}`;
      const reply = await api.post(
        '/v1/auth/login',
        { email, password },
        { headers: { 'x-request-id': requestId } },
      );
      expect(reply.status).toBe(200);
      const [event] = await auditByRequest(app, requestId);
      return { after: await storedHash(app, userId), rehashed: event.details.rehashed };
    }

    it.each([
      [
        'Tessera bcrypt of cost 11',
        (p: string) => bcryptHash(p, 11),
        /^\$bcrypt-sha256\$\$2b\$11\$/,
      ],
      ['plain imported $2b$ bcrypt', (p: string) => bcrypt.hash(p, 10), /^\$2b\$10\$/],
      [
        'plain imported $2a$ bcrypt of cost 11',
        async (p: string) => (await bcrypt.hash(p, 11)).replace(/^\$2b\$/, '$2a$'),
        /^\$2a\$11\$/,
      ],
    ])('replaces %s with the configured bcrypt and still logs in', async (_, make, shape) => {
      const account = await register(api);
      const old = await make(account.password);
      expect(old).toMatch(shape);

      const first = await loginWithStoredHash(account.id, account.email, account.password, old);
      expect(first.rehashed).toBe(true);
      expect(first.after).not.toBe(old);
      expect(first.after).toMatch(CURRENT_BCRYPT);

      // The new hash is current: the next login keeps it, and the password still works.
      const second = await api.post('/v1/auth/login', creds(account));
      expect(second.status).toBe(200);
      expect(await storedHash(app, account.id)).toBe(first.after);
      // A wrong password is still refused against the new hash.
      expectProblem(
        await api.post('/v1/auth/login', { email: account.email, password: 'wrong wrong wrong' }),
        401,
        'invalid_credentials',
      );
    });

    it('does not rehash on a wrong password', async () => {
      const account = await register(api);
      const old = await bcryptHash(account.password, 11);
      await app.db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [account.id, old]);
      const reply = await api.post('/v1/auth/login', {
        email: account.email,
        password: 'wrong wrong wrong',
      });
      expectProblem(reply, 401, 'invalid_credentials');
      expect(await storedHash(app, account.id)).toBe(old);
    });

    it('keeps a current hash as it is', async () => {
      const account = await register(api);
      const before = await storedHash(app, account.id);
      expect(before).toMatch(CURRENT_BCRYPT);
      const { after, rehashed } = await loginWithStoredHash(
        account.id,
        account.email,
        account.password,
        before,
      );
      expect(rehashed).toBe(false);
      expect(after).toBe(before);
    });
  });
});

describe('POST /v1/auth/login across a change of PASSWORD_HASH', () => {
  it('moves an argon2id hash to bcrypt on login after a restart, and back again', async () => {
    const database = await createTestDatabase();
    const email = uniqueEmail('migrate');
    const password = 'hashes change but passwords stay';
    let userId: string;
    try {
      const argon = await startApp({ PASSWORD_HASH: 'argon2id' }, database);
      try {
        const api = client(argon.url);
        userId = (await register(api, email, password)).id;
        const made = await storedHash(argon, userId);
        expect(made).toMatch(ARGON2ID);
        await login(api, { email, password });
        expect(await storedHash(argon, userId)).toBe(made); // current: not rehashed
      } finally {
        await argon.stop();
      }

      const bcryptApp = await startApp({ PASSWORD_HASH: 'bcrypt' }, database);
      try {
        const api = client(bcryptApp.url);
        expect(await storedHash(bcryptApp, userId)).toMatch(ARGON2ID);
        expectProblem(
          await api.post('/v1/auth/login', { email, password: 'not it, not it at all' }),
          401,
          'invalid_credentials',
        );
        expect(await storedHash(bcryptApp, userId)).toMatch(ARGON2ID);

        const tokens = await login(api, { email, password });
        expect(decodeJwt(tokens.access_token).sub).toBe(userId);
        const rehashed = await storedHash(bcryptApp, userId);
        expect(rehashed).toMatch(CURRENT_BCRYPT);
        await login(api, { email, password });
        expect(await storedHash(bcryptApp, userId)).toBe(rehashed);
      } finally {
        await bcryptApp.stop();
      }

      const argonAgain = await startApp({ PASSWORD_HASH: 'argon2id' }, database);
      try {
        const api = client(argonAgain.url);
        await login(api, { email, password });
        expect(await storedHash(argonAgain, userId)).toMatch(ARGON2ID);
      } finally {
        await argonAgain.stop();
      }
    } finally {
      await database.drop();
    }
  });
});
