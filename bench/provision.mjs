// What the scenarios need from a running Tessera, made through its public HTTP API (the way an
// operator would) and only once per instance: each getter is memoised. Nothing here is printed.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { basicAuth, call, expect, mapLimit } from './http.mjs';

// Registration and login each cost a bcrypt hash: keep every hashing thread busy, no more.
const HASHING_LANES = availableParallelism() * 2;
/** How many sessions back the pool of user access tokens (check-token, introspect, kit-verify). */
const TOKEN_SESSIONS = 10;

function once(make) {
  let made;
  return () => (made ??= make());
}

export class Fixture {
  constructor(instance, settings, admin) {
    this.url = instance.url;
    this.settings = settings;
    this.admin = admin;
    // Unique per run, so a reused BENCH_DATABASE_URL never answers 409 email_taken.
    this.tag = randomBytes(3).toString('hex');
    this.adminToken = once(() => this.login(admin).then((tokens) => tokens.access_token));
    this.users = once(() => this.registerUsers());
    this.client = once(() => this.createClient());
    this.tokenSessions = once(() => this.loginMany(TOKEN_SESSIONS));
  }

  login({ email, password }) {
    return expect(
      200,
      'login',
      call(this.url, '/v1/auth/login', { method: 'POST', json: { email, password } }),
    );
  }

  /**
   * BENCH_USERS (at least 50) users with strong random passwords; every other one also holds
   * `viewer`, so permission checks answer both yes and no.
   */
  async registerUsers() {
    const token = await this.adminToken();
    const count = this.settings.users;
    return mapLimit(
      Array.from({ length: count }, (_, n) => n),
      HASHING_LANES,
      async (n) => {
        const email = `bench-${this.tag}-${n}@example.test`;
        const password = randomBytes(18).toString('base64url'); // 24 characters, 144 bits
        const user = await expect(
          201,
          'register',
          call(this.url, '/v1/auth/register', {
            method: 'POST',
            json: { email, password },
          }),
        );
        if (n % 2 === 0) {
          await expect(
            200,
            'grant viewer',
            call(this.url, `/v1/admin/users/${user.id}/roles`, {
              method: 'PUT',
              token,
              json: { roles: ['user', 'viewer'] },
            }),
          );
        }
        return { id: user.id, email, password };
      },
    );
  }

  /** A service client holding `authz-service` (authz:check), as a resource server would have. */
  async createClient() {
    const created = await expect(
      201,
      'create client',
      call(this.url, '/v1/admin/clients', {
        method: 'POST',
        token: await this.adminToken(),
        json: { name: 'bench', roles: ['authz-service'] },
      }),
    );
    return { clientId: created.clientId, clientSecret: created.clientSecret };
  }

  async clientAuthorization() {
    const { clientId, clientSecret } = await this.client();
    return basicAuth(clientId, clientSecret);
  }

  /** A fresh client-credentials access token, asked for right before each use (they expire). */
  async serviceToken() {
    const answer = await expect(
      200,
      'client_credentials',
      call(this.url, '/oauth/token', {
        method: 'POST',
        authorization: await this.clientAuthorization(),
        form: { grant_type: 'client_credentials' },
      }),
    );
    return answer.access_token;
  }

  /** `count` new sessions of pool users (one login each): `{ refreshToken }` chains. */
  async loginMany(count) {
    const users = await this.users();
    return mapLimit(
      Array.from({ length: count }, (_, n) => users[n % users.length]),
      HASHING_LANES,
      async (user) => ({ refreshToken: (await this.login(user)).refresh_token }),
    );
  }

  /**
   * Current user access tokens, one per pool session, by refreshing each session (no hashing),
   * so that a long run never measures tokens that have expired meanwhile.
   */
  async userAccessTokens() {
    const sessions = await this.tokenSessions();
    return Promise.all(
      sessions.map(async (session) => {
        const answer = await expect(
          200,
          'refresh',
          call(this.url, '/oauth/token', {
            method: 'POST',
            form: { grant_type: 'refresh_token', refresh_token: session.refreshToken },
          }),
        );
        session.refreshToken = answer.refresh_token;
        return answer.access_token;
      }),
    );
  }
}
