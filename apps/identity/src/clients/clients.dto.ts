import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsPlainText } from '../common/plain-text';

export class CreateClientDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @IsPlainText()
  name!: string;

  /** Role names; the caller must hold every permission they grant. */
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  roles!: string[];
}
