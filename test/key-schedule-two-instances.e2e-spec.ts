import { createRemoteJWKSet, jwtVerify } from 'jose';
import { KeyRotationService } from '../apps/identity/src/keys/key-rotation.service';
import { NEXT_KEY_LEAD_SECONDS } from '../apps/identity/src/keys/key-timing';
import { KeysService } from '../apps/identity/src/keys/keys.service';
import { registerAndLogin } from '../apps/identity/test/support/accounts';
import { kidOf, publishedKids } from '../apps/identity/test/support/keys';
import { instancesForSuite } from '../apps/identity/test/support/suite-app';
import { ON_POSTGRES } from '../apps/identity/test/support/test-database';

const ISSUER = 'http://tessera.cluster.test';
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('scheduled key rotation on two instances', () => {
  const { a, b, apiA, apiB } = instancesForSuite({ ISSUER, KEY_ROTATION_DAYS: '7' });

  it('prepares and promotes one key however many instances run the schedule at once', async () => {
    const { tokens: old } = await registerAndLogin(apiA);
    await a.db.query(
      `UPDATE signing_keys SET activated_at = activated_at - interval '7 days'
       WHERE state = 'active'`,
    );
    const stepA = () => a.app.get(KeyRotationService).rotateOnSchedule();
    const stepB = () => b.app.get(KeyRotationService).rotateOnSchedule();

    const prepared = await Promise.all([stepA(), stepB(), stepA(), stepB()]);
    expect(prepared.filter((step) => step === 'prepared')).toHaveLength(1);
    const next: { kid: string }[] = await a.db.query(
      `SELECT kid FROM signing_keys WHERE state = 'next'`,
    );
    expect(next).toHaveLength(1);

    await a.db.query(
      `UPDATE signing_keys SET created_at = created_at - make_interval(secs => $1)
       WHERE state = 'next'`,
      [NEXT_KEY_LEAD_SECONDS],
    );
    const promoted = await Promise.all([stepA(), stepB(), stepA(), stepB()]);
    expect(promoted.filter((step) => step === 'promoted')).toHaveLength(1);

    // The other instance picks the change up on its periodic reload; run that reload now.
    await Promise.all([a.app.get(KeysService).reload(), b.app.get(KeysService).reload()]);
    const fresh = await registerAndLogin(apiB);
    expect(kidOf(fresh.tokens)).toBe(next[0].kid);
    expect(await publishedKids(apiA)).toEqual(await publishedKids(apiB));
    const jwks = createRemoteJWKSet(new URL(`${a.url}/.well-known/jwks.json`));
    for (const token of [old.access_token, fresh.tokens.access_token]) {
      await expect(
        jwtVerify(token, jwks, { issuer: ISSUER, audience: 'api', typ: 'at+jwt' }),
      ).resolves.toBeDefined();
    }
  });
});
