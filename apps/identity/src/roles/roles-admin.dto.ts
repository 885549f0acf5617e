import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IsPermissionList, IsRoleDescription, IsRoleName } from './role-rules';

export class CreateRoleDto {
  @IsRoleName()
  name!: string;

  @IsOptional()
  @IsRoleDescription()
  description?: string;

  @IsPermissionList()
  permissions!: string[];

  @IsOptional()
  @IsBoolean()
  mfaRequired?: boolean;
}

export class UpdateRoleDto {
  @IsOptional()
  @IsRoleDescription()
  description?: string;

  @IsOptional()
  @IsPermissionList()
  permissions?: string[];

  @IsOptional()
  @IsBoolean()
  mfaRequired?: boolean;
}

/** `?force=true` deletes a role that users or clients still hold. */
export class DeleteRoleQuery {
  @IsOptional()
  @IsIn(['true', 'false'])
  force?: 'true' | 'false';
}
