import {
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { IsPlainText } from '../common/plain-text';
import { parseCidr } from './block-list';

@ValidatorConstraint({ name: 'cidr' })
class IsCidr implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseCidr(value) !== undefined;
  }

  defaultMessage(): string {
    return 'cidr must be an IP address or a CIDR range such as 203.0.113.0/24';
  }
}

export class CreateIpBlockDto {
  /** An IPv4 or IPv6 address or CIDR range, e.g. `203.0.113.0/24`. */
  @IsString()
  @MaxLength(64)
  @Validate(IsCidr)
  cidr!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @IsPlainText()
  reason!: string;

  /** When the block lifts by itself (ISO 8601); never, when absent. */
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}
