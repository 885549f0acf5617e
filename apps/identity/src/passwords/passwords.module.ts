import { DynamicModule, Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { PASSWORD_OPTIONS, PasswordOptions } from './password-options';
import { PasswordPolicy } from './password-policy';

/**
 * Password policy and hashing. Wire with
 * `PasswordsModule.forRoot({ kind: config.passwordHash, bcryptCost: config.bcryptCost,
 * minLength: config.passwordMinLength })`.
 */
@Module({})
export class PasswordsModule {
  static forRoot(options: PasswordOptions): DynamicModule {
    return {
      module: PasswordsModule,
      providers: [{ provide: PASSWORD_OPTIONS, useValue: options }, PasswordPolicy, PasswordHasher],
      exports: [PASSWORD_OPTIONS, PasswordPolicy, PasswordHasher],
    };
  }
}
