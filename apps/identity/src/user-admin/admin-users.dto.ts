import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from '../common/pagination';
import { IsPlainText } from '../common/plain-text';

const MAX_ROLES = 50;
const MAX_ROLE_NAME = 100;

/** `GET /v1/admin/users`: filters beside the cursor and limit. */
export class ListUsersQuery extends PageQuery {
  /** A prefix of the email, compared in its normalised form. */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_ROLE_NAME)
  role?: string;
}

// Password sizes here only bound the work; the policy counts code points after NFKC.
export class CreateUserDto {
  @IsString()
  @MaxLength(320)
  email!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsPlainText()
  displayName?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ROLES)
  @IsString({ each: true })
  @MaxLength(MAX_ROLE_NAME, { each: true })
  roles?: string[];
}

/** What an administrator may change on an account; roles have their own route. */
export class UpdateUserDto {
  /** null clears the name. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @IsPlainText()
  displayName?: string | null;

  // Not IsOptional, which would let null through: a missing field is "no change", null is wrong.
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  disabled?: boolean;
}

export class ReplaceRolesDto {
  @IsArray()
  @ArrayMaxSize(MAX_ROLES)
  @IsString({ each: true })
  @MaxLength(MAX_ROLE_NAME, { each: true })
  roles!: string[];
}
