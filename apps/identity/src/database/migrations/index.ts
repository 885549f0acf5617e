import { IdentityCore1764700000000 } from './1764700000000-identity-core';
import { Mfa1764800000000 } from './1764800000000-mfa';
import { AccessControl1764900000000 } from './1764900000000-access-control';
import { IpBlocks1765000000000 } from './1765000000000-ip-blocks';
import { AuditPrivacy1765100000000 } from './1765100000000-audit-privacy';
import { Revocations1765200000000 } from './1765200000000-revocations';

/** Every migration, in order; the same list runs on PGlite and on PostgreSQL. */
export const MIGRATIONS = [
  IdentityCore1764700000000,
  Mfa1764800000000,
  AccessControl1764900000000,
  IpBlocks1765000000000,
  AuditPrivacy1765100000000,
  Revocations1765200000000,
];
