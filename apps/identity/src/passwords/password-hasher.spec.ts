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

describe('PasswordHasher with unknown stored values', () => {
  const garbage = [
    '',
    'garbage',
    password,
    '$bcrypt-sha256$',
    '$bcrypt-sha256$not-a-hash',
    '$2b$10$short',
    '$2x$10$' + 'a'.repeat(53),
    '$argon2id$v=19$m=19456,t=2,p=1$abc$def',
    '$argon2id$',
    '$pbkdf2-sha256$29000$abc$def',
  ];

  it.each(garbage)('does not verify against %p and does not throw', async (stored) => {
    for (const hasher of [bcryptHasher, argonHasher]) {
      await expect(hasher.verify(password, stored)).resolves.toEqual({
        ok: false,
        needsRehash: false,
      });
    }
  });
});

describe('PasswordHasher.verifyDummy', () => {
  it('resolves for both kinds', async () => {
    await expect(bcryptHasher.verifyDummy(password)).resolves.toBeUndefined();
    await expect(argonHasher.verifyDummy(password)).resolves.toBeUndefined();
  });

  it('makes its hash once and reuses it, even for concurrent calls', async () => {
    const hasher = new PasswordHasher(options());
    const hash = jest.spyOn(hasher, 'hash');
    await Promise.all([hasher.verifyDummy('guess one'), hasher.verifyDummy('guess two')]);
    await hasher.verifyDummy('guess three');
    expect(hash).toHaveBeenCalledTimes(1);
  });

  it('spends a comparison of the configured kind', async () => {
    const hasher = new PasswordHasher(options({ kind: 'argon2id' }));
    const verify = jest.spyOn(hasher, 'verify');
    await hasher.verifyDummy(password);
    expect(verify).toHaveBeenCalledWith(password, expect.stringMatching(/^\$argon2id\$/));
  });
});

describe('PasswordHasher options', () => {
  it('refuses a kind or cost the config would refuse', () => {
    expect(() => new PasswordHasher(options({ bcryptCost: 4 }))).toThrow();
    expect(() => new PasswordHasher({ ...options(), kind: 'md5' as 'bcrypt' })).toThrow();
  });
});
