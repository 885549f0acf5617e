import { IsPlainText } from '../common/plain-text';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

// Password sizes here only bound the work; the policy counts code points after NFKC.
export class RegisterDto {
  @IsString()
  @MaxLength(320)
  email!: string;

  @IsString()
  @MaxLength(1024)
  password!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsPlainText()
  displayName?: string;
}

export class LoginDto {
  @IsString()
  @MaxLength(320)
  email!: string;

  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class MfaStepDto {
  @IsString()
  @MaxLength(4096)
  mfa_token!: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  recovery_code?: string;
}
