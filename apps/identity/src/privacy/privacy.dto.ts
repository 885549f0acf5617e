import { IsString, MaxLength } from 'class-validator';

export class EraseMeDto {
  /** The current password: erasure cannot be undone, so a stolen access token alone is not enough. */
  @IsString()
  @MaxLength(1024)
  password!: string;
}
