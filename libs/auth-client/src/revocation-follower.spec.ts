import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { fakeIssuer } from '../test/support/fake-issuer';
import { guardedApp } from '../test/support/guarded-app';
import { PermissionChecker } from './permission-checker';
import { RevokedTokens } from './revoked-tokens';
import { createTestIssuer, type TestIssuer } from './testing';

const CREDENTIALS = { clientId: 'svc_detectors', clientSecret: 'a secret of the detector service' };

/** Retries `probe` until it returns true, for at most `ms`. */
async function eventually(probe: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('the condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the revocation follower', () => {
  let keys: TestIssuer;
  let tessera: Awaited<ReturnType<typeof fakeIssuer>>;
  let app: NestFastifyApplication;
  /** The answers the fake feed gives to requests with `since`, in turn; then empty ones. */
  const queued: { status: number; body?: unknown }[] = [];

  beforeAll(async () => {
    tessera = await fakeIssuer(({ path }) => {
      if (path === '/oauth/token') {
        return { status: 200, body: { access_token: 'client-token', expires_in: 900 } };
      }
      if (path === '/v1/revocations') {
        return { status: 200, body: { cursor: 'start', sessions: [], subjects: [] } };
      }
      if (path.startsWith('/v1/revocations?since=')) {
        return queued.shift() ?? { status: 200, body: { cursor: 'c', sessions: [], subjects: [] } };
      }
      return { status: 404 };
    });
    keys = await createTestIssuer({ issuer: tessera.url });
    app = await guardedApp(
      keys.moduleOptions({ ...CREDENTIALS, revocations: { enabled: true, waitSeconds: 1 } }),
    );
  });
  let closed = false;
  afterAll(async () => {
    if (!closed) await app.close();
    await tessera.close();
  });

  const list = (token: string) =>
    app.inject({ method: 'GET', url: '/detectors', headers: { authorization: `Bearer ${token}` } });

  it('follows the feed from now with the service’s token, long-polling from its cursor', async () => {
    await eventually(async () => tessera.requestsTo('/v1/revocations?since=').length > 0);

    const [first, second] = tessera.requestsTo('/v1/revocations');
    expect(first.path).toBe('/v1/revocations');
    expect(second.path).toBe('/v1/revocations?since=start&wait=1');
    expect(second.authorization).toBe('Bearer client-token');
  });

  it('refuses the tokens of a session or user the feed names, and no others', async () => {
    const revokedSession = await keys.issueTestToken();
    const disabledUser = await keys.issueTestToken();
    const bystander = await keys.issueTestToken();
    const sid = JSON.parse(Buffer.from(revokedSession.split('.')[1], 'base64url').toString()).sid;
    const sub = JSON.parse(Buffer.from(disabledUser.split('.')[1], 'base64url').toString()).sub;
    queued.push({ status: 200, body: { cursor: 'c1', sessions: [sid], subjects: [sub] } });

    await eventually(async () => (await list(revokedSession)).statusCode === 401);

    expect((await list(disabledUser)).statusCode).toBe(401);
    expect((await list(bystander)).statusCode).toBe(200);
  });

  it('on 410 forgets cached permissions and starts again from now', async () => {
    const clear = jest.spyOn(app.get(PermissionChecker), 'clear');
    const restarts = tessera.requestsTo('/v1/revocations').filter((r) => !r.path.includes('?'));
    queued.push({ status: 410, body: { code: 'cursor_expired' } });

    await eventually(
      async () =>
        tessera.requestsTo('/v1/revocations').filter((r) => !r.path.includes('?')).length >
        restarts.length,
    );
    expect(clear).toHaveBeenCalled();
  });

  it('stops polling when the module is destroyed', async () => {
    await app.close();
    closed = true;
    const after = tessera.seen.length;

    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(tessera.seen.length).toBe(after);
  });
});

describe('RevokedTokens', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const revoked = new RevokedTokens({ clockToleranceSeconds: 30 } as never);

  it('spares a user’s tokens issued after the user was revoked (a re-enabled user)', () => {
    revoked.add({ sessions: [], subjects: ['user-1'] }, 900);

    expect(revoked.refuses({ sub: 'user-1', iat: now() - 5 })).toBe(true);
    expect(revoked.refuses({ sub: 'user-1', iat: now() + 60 })).toBe(false);
    expect(revoked.refuses({ sub: 'user-2', iat: now() - 5 })).toBe(false);
  });
});
