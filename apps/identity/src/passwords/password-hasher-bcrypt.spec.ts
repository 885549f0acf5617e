import * as bcrypt from 'bcrypt';
import { PasswordHasher } from './password-hasher';
import { PasswordOptions } from './password-options';

const options = (o: Partial<PasswordOptions> = {}): PasswordOptions => ({
  kind: 'bcrypt',
  bcryptCost: 10,
  minLength: 8,
  ...o,
});
const bcryptHasher = new PasswordHasher(options());
const argonHasher = new PasswordHasher(options({ kind: 'argon2id' }));
const password = 'Correct horse battery staple';

describe('PasswordHasher with bcrypt', () => {
  it('stores a pre-hashed bcrypt hash at the configured cost that verifies', async () => {
    const stored = await bcryptHasher.hash(password);
    expect(stored).toMatch(/^\$bcrypt-sha256\$\$2b\$10\$[./A-Za-z0-9]{53}$/);
    await expect(bcryptHasher.verify(password, stored)).resolves.toEqual({
      ok: true,
      needsRehash: false,
    });
  });

  it('refuses a wrong password', async () => {
    const stored = await bcryptHasher.hash(password);
    await expect(bcryptHasher.verify('Correct horse battery stapler', stored)).resolves.toEqual({
      ok: false,
      needsRehash: false,
    });
  });

  it('salts each hash, so the same password gives different hashes', async () => {
    expect(await bcryptHasher.hash(password)).not.toBe(await bcryptHasher.hash(password));
  });

  it('tells apart passwords that share their first 72 bytes', async () => {
    const prefix = 'p'.repeat(72);
    // Control: plain bcrypt cannot, as it ignores everything after byte 72.
    expect(await bcrypt.compare(prefix + 'two', await bcrypt.hash(prefix + 'one', 10))).toBe(true);
    const stored = await bcryptHasher.hash(prefix + 'one');
    expect((await bcryptHasher.verify(prefix + 'one', stored)).ok).toBe(true);
    expect((await bcryptHasher.verify(prefix + 'two', stored)).ok).toBe(false);
    expect((await bcryptHasher.verify(prefix, stored)).ok).toBe(false);
  });

  it('tells apart emoji passwords whose 72-byte cut falls inside a character', async () => {
    // 'a' + 17 four-byte emoji = 69 bytes; the next emoji spans bytes 70 to 73, across the cut.
    // 🦊 and 🦋 differ only in their 4th byte (byte 73), so their first 72 bytes are equal.
    const fox = 'a' + '🦊'.repeat(18);
    const butterfly = 'a' + '🦊'.repeat(17) + '🦋';
    expect(Buffer.byteLength(fox)).toBe(73);
    expect(Buffer.from(fox).subarray(0, 72)).toEqual(Buffer.from(butterfly).subarray(0, 72));
    expect(await bcrypt.compare(butterfly, await bcrypt.hash(fox, 10))).toBe(true); // control
    const stored = await bcryptHasher.hash(fox);
    expect((await bcryptHasher.verify(fox, stored)).ok).toBe(true);
    expect((await bcryptHasher.verify(butterfly, stored)).ok).toBe(false);
  });

  it('tells apart passwords that differ only after a NUL character', async () => {
    const stored = await bcryptHasher.hash('before\u0000after-one');
    expect((await bcryptHasher.verify('before\u0000after-one', stored)).ok).toBe(true);
    expect((await bcryptHasher.verify('before\u0000after-two', stored)).ok).toBe(false);
    expect((await bcryptHasher.verify('before', stored)).ok).toBe(false);
  });

  it('verifies a fullwidth-letter password against its ASCII form (NFKC)', async () => {
    const stored = await bcryptHasher.hash('Correct9Horse');
    const fullwidth =
      '\uff23\uff4f\uff52\uff52\uff45\uff43\uff54\uff19\uff28\uff4f\uff52\uff53\uff45';
    expect((await bcryptHasher.verify(fullwidth, stored)).ok).toBe(true);
  });

  it('keeps case: a capitalised password does not verify in lower case', async () => {
    const stored = await bcryptHasher.hash('Correct9Horse');
    expect((await bcryptHasher.verify('correct9horse', stored)).ok).toBe(false);
  });

  it('reports needsRehash for a hash made at another cost', async () => {
    const stored = await bcryptHasher.hash(password);
    const cost11 = new PasswordHasher(options({ bcryptCost: 11 }));
    await expect(cost11.verify(password, stored)).resolves.toEqual({ ok: true, needsRehash: true });
  });

  it('verifies a plain $2b$ hash imported from another system and asks for a rehash', async () => {
    const stored = await bcrypt.hash(password, 10);
    await expect(bcryptHasher.verify(password, stored)).resolves.toEqual({
      ok: true,
      needsRehash: true,
    });
    expect((await bcryptHasher.verify('wrong password', stored)).ok).toBe(false);
  });

  it('verifies plain $2a$ and $2y$ hashes as the same algorithm', async () => {
    const stored = await bcrypt.hash(password, 10);
    for (const version of ['$2a$', '$2y$']) {
      const imported = version + stored.slice(4);
      await expect(bcryptHasher.verify(password, imported)).resolves.toEqual({
        ok: true,
        needsRehash: true,
      });
    }
  });

  it('verifies an argon2id hash and asks for a rehash into bcrypt', async () => {
    const stored = await argonHasher.hash(password);
    await expect(bcryptHasher.verify(password, stored)).resolves.toEqual({
      ok: true,
      needsRehash: true,
    });
  });
});
