import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateDetectorDto {
  /** Letters, digits, dots, dashes and underscores: a name that is safe in URLs and logs. */
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'name may hold letters, digits, ".", "-" and "_"' })
  name!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;
}
