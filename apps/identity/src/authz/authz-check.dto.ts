import { ArrayMinSize, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsPermissionList } from '../roles/role-rules';

export const MAX_CHECKED_PERMISSIONS = 50;

/** `POST /v1/authz/check`: the permissions to judge, and for a service, whom they are about. */
export class AuthzCheckDto {
  @IsPermissionList(MAX_CHECKED_PERMISSIONS)
  @ArrayMinSize(1)
  permissions!: string[];

  @IsOptional()
  @IsUUID('all')
  subject?: string;

  @IsOptional()
  @IsString()
  @MaxLength(8192)
  token?: string;
}

/** The answer: `allowed` when every listed permission is granted; `subject` null for a bad token. */
export interface AuthzCheckResult {
  subject: string | null;
  allowed: boolean;
  results: Record<string, boolean>;
}
