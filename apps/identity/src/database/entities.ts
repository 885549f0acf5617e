import { AuditEvent } from '../audit/audit-event.entity';
import { SigningKey } from '../keys/signing-key.entity';
import { Role } from '../roles/role.entity';
import { RolePermission, UserRole } from '../roles/user-role.entity';
import { RefreshToken } from '../sessions/refresh-token.entity';
import { Session } from '../sessions/session.entity';
import { User } from '../users/user.entity';

export const ENTITIES = [
  User,
  Role,
  UserRole,
  RolePermission,
  Session,
  RefreshToken,
  SigningKey,
  AuditEvent,
];
