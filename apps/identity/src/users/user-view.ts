import type { User } from './user.entity';

/** What a user may see of their own record; never a hash or a secret. */
export interface UserView {
  id: string;
  email: string;
  displayName: string | null;
  roles: string[];
  mfaEnabled: boolean;
  createdAt: string;
}

export function toUserView(user: User, roles: string[], mfaEnabled = false): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roles,
    mfaEnabled,
    createdAt: user.createdAt.toISOString(),
  };
}
