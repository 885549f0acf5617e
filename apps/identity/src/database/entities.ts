import { AuditEvent } from '../audit/audit-event.entity';
import { ServiceClient } from '../clients/service-client.entity';
import { SigningKey } from '../keys/signing-key.entity';
import { RecoveryCode } from '../mfa/recovery-code.entity';
import { TotpFactor } from '../mfa/totp-factor.entity';
import { Role } from '../roles/role.entity';
import { RefreshToken } from '../sessions/refresh-token.entity';
import { Session } from '../sessions/session.entity';
import { User } from '../users/user.entity';

export const ENTITIES = [
  User,
  Role,
  Session,
  RefreshToken,
  SigningKey,
  AuditEvent,
  TotpFactor,
  RecoveryCode,
  ServiceClient,
];
