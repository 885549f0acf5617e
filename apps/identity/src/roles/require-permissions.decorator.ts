import { SetMetadata } from '@nestjs/common';

export const REQUIRED_PERMISSIONS = 'tessera:permissions';

/** Declares the `resource:action` permissions a route needs; the global guard enforces all of them. */
export const RequirePermissions = (...permissions: string[]) =>
  SetMetadata(REQUIRED_PERMISSIONS, permissions);
