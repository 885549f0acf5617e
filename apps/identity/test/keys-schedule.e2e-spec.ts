import { KeyRotationService } from '../src/keys/key-rotation.service';
import { NEXT_KEY_LEAD_SECONDS } from '../src/keys/key-timing';
import { registerAndLogin } from './support/accounts';
import { kidOf, publishedKids, verifyThroughJwks } from './support/keys';
import { appForSuite } from './support/suite-app';
import type { TestApp } from './support/test-app';

/** Moves the active key's activation back by `days`, as if that much time had passed. */
async function ageActiveKey(app: TestApp, days: number) {
  await app.db.query(
    `UPDATE signing_keys SET activated_at = activated_at - make_interval(days => $1)
     WHERE state = 'active'`,
    [days],
  );
}

/** Moves the scheduled key's creation back by `seconds`. */
async function ageNextKey(app: TestApp, seconds: number) {
  await app.db.query(
    `UPDATE signing_keys SET created_at = created_at - make_interval(secs => $1)
     WHERE state = 'next'`,
    [seconds],
  );
}

async function keyStates(app: TestApp): Promise<Record<string, string>> {
  const rows: { kid: string; state: string }[] = await app.db.query(
    `SELECT kid, state FROM signing_keys`,
  );
  return Object.fromEntries(rows.map((row) => [row.kid, row.state]));
}

describe('scheduled key rotation', () => {
  const { app, api } = appForSuite({ KEY_ROTATION_DAYS: '30' });
  const step = () => app.app.get(KeyRotationService).rotateOnSchedule();

  it('does nothing while the active key is not due', async () => {
    const before = await keyStates(app);

    expect(await step()).toBe('idle');
    expect(await keyStates(app)).toEqual(before);
  });

  it('publishes the next key before it signs, then lets it sign once every cache has it', async () => {
    const { tokens: old } = await registerAndLogin(api);
    const oldKid = kidOf(old)!;
    await ageActiveKey(app, 30);

    expect(await step()).toBe('prepared');
    const kids = await publishedKids(api);
    const nextKid = kids.find((kid) => kid !== oldKid)!;
    expect(kids).toEqual(expect.arrayContaining([oldKid, nextKid]));
    expect(kidOf((await registerAndLogin(api)).tokens)).toBe(oldKid);

    // Published for less than the lead time: a JWKS cached just before it appeared may lack it.
    await ageNextKey(app, NEXT_KEY_LEAD_SECONDS - 60);
    expect(await step()).toBe('idle');
    expect(kidOf((await registerAndLogin(api)).tokens)).toBe(oldKid);

    await ageNextKey(app, 60);
    expect(await step()).toBe('promoted');
    const { tokens: fresh } = await registerAndLogin(api);
    expect(kidOf(fresh)).toBe(nextKid);
    expect(await keyStates(app)).toMatchObject({ [oldKid]: 'retired', [nextKid]: 'active' });
    // The old key stays published for the tokens it signed.
    expect(await publishedKids(api)).toEqual(expect.arrayContaining([oldKid, nextKid]));
    await expect(verifyThroughJwks(app, old.access_token)).resolves.toBeDefined();
    await expect(verifyThroughJwks(app, fresh.access_token)).resolves.toBeDefined();
    expect((await api.get('/v1/me', { token: old.access_token })).status).toBe(200);
  });

  it('records the scheduled steps in the audit trail', async () => {
    const rows: { type: string; details: { trigger?: string } }[] = await app.db.query(
      `SELECT type, details FROM audit_events WHERE type IN ('key.scheduled', 'key.rotated')
       ORDER BY at`,
    );

    expect(rows.map((row) => row.type)).toEqual(['key.scheduled', 'key.rotated']);
    expect(rows[1].details.trigger).toBe('schedule');
  });

  it('drops a scheduled key when an admin rotates by hand', async () => {
    await ageActiveKey(app, 30);
    expect(await step()).toBe('prepared');
    const scheduled = Object.entries(await keyStates(app)).find(([, s]) => s === 'next')![0];

    const kid = await app.app.get(KeyRotationService).rotate();

    expect(await publishedKids(api)).not.toContain(scheduled);
    expect(kidOf((await registerAndLogin(api)).tokens)).toBe(kid);
  });
});

describe('key rotation turned off', () => {
  const { app } = appForSuite({ KEY_ROTATION_DAYS: '0' });

  it('never rotates, however old the key', async () => {
    await ageActiveKey(app, 3650);

    expect(await app.app.get(KeyRotationService).rotateOnSchedule()).toBe('idle');
    const rows = await app.db.query(`SELECT 1 FROM signing_keys`);
    expect(rows).toHaveLength(1);
  });
});
