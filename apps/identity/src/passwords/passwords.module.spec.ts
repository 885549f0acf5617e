import { Test } from '@nestjs/testing';
import { PasswordHasher } from './password-hasher';
import { PASSWORD_OPTIONS } from './password-options';
import { PasswordPolicy } from './password-policy';
import { PasswordsModule } from './passwords.module';

describe('PasswordsModule', () => {
  it('provides the policy and the hasher built from the given options', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PasswordsModule.forRoot({ kind: 'argon2id', bcryptCost: 12, minLength: 15 })],
    }).compile();
    expect(moduleRef.get(PASSWORD_OPTIONS)).toEqual({
      kind: 'argon2id',
      bcryptCost: 12,
      minLength: 15,
    });
    expect(
      moduleRef
        .get(PasswordPolicy)
        .check('fourteen chars')
        .map((v) => v.code),
    ).toEqual(['too_short']);
    expect(await moduleRef.get(PasswordHasher).hash('a long enough phrase')).toMatch(
      /^\$argon2id\$/,
    );
  });
});
