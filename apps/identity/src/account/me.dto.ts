import { IsPlainText } from '../common/plain-text';
import { IsString, MaxLength, ValidateIf } from 'class-validator';

export class UpdateMeDto {
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(100)
  @IsPlainText()
  displayName!: string | null;
}

export class ChangePasswordDto {
  @IsString()
  @MaxLength(1024)
  currentPassword!: string;

  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}
