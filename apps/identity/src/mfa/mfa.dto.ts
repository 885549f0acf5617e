import {
  IsDefined,
  IsString,
  Matches,
  MaxLength,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

const SIX_DIGITS = /^\d{6}$/;
const SIX_DIGITS_MESSAGE = 'code must be six digits';
const EITHER_MESSAGE = 'send either code or password';

@ValidatorConstraint({ name: 'notBoth' })
class NotBoth implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const other = args.constraints[0] as string;
    return (args.object as Record<string, unknown>)[other] === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return `send either ${args.property} or ${args.constraints[0] as string}, not both`;
  }
}

export class TotpCodeDto {
  @IsString()
  @Matches(SIX_DIGITS, { message: SIX_DIGITS_MESSAGE })
  code!: string;
}

/** Exactly one of a current TOTP code and the account password. */
export class MfaProofDto {
  @ValidateIf((dto: MfaProofDto) => dto.code !== undefined || dto.password === undefined)
  @IsString()
  @Matches(SIX_DIGITS, { message: SIX_DIGITS_MESSAGE })
  @Validate(NotBoth, ['password'])
  @IsDefined({ message: EITHER_MESSAGE })
  code?: string;

  @ValidateIf((dto: MfaProofDto) => dto.password !== undefined || dto.code === undefined)
  @IsString()
  @MaxLength(1024)
  @IsDefined({ message: EITHER_MESSAGE })
  password?: string;
}
