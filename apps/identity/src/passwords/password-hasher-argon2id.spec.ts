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

describe('PasswordHasher with argon2id', () => {
  it('stores a PHC string with the OWASP parameters that verifies', async () => {
    const stored = await argonHasher.hash(password);
    expect(stored).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    await expect(argonHasher.verify(password, stored)).resolves.toEqual({
      ok: true,
      needsRehash: false,
    });
    expect((await argonHasher.verify('Correct horse battery stapler', stored)).ok).toBe(false);
  });

  it('verifies a fullwidth-letter password and keeps case', async () => {
    const stored = await argonHasher.hash('Correct9Horse');
    expect((await argonHasher.verify('\uff23orrect\uff19Horse', stored)).ok).toBe(true);
    expect((await argonHasher.verify('correct9horse', stored)).ok).toBe(false);
  });

  it('verifies a bcrypt hash and asks for a rehash into argon2id', async () => {
    const stored = await bcryptHasher.hash(password);
    await expect(argonHasher.verify(password, stored)).resolves.toEqual({
      ok: true,
      needsRehash: true,
    });
  });

  it('asks for a rehash of an argon2id hash made with other parameters', async () => {
    const { hash } = await import('@node-rs/argon2');
    const stored = await hash(password, { memoryCost: 8192, timeCost: 3, parallelism: 1 });
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=8192,t=3,p=1\$/);
    await expect(argonHasher.verify(password, stored)).resolves.toEqual({
      ok: true,
      needsRehash: true,
    });
  });
});
