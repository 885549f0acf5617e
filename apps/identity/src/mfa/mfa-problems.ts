import { Problem } from '../common/problem';

/** The errors of the MFA routes, each with its stable code. */
export const MfaProblem = {
  alreadyEnabled: () =>
    Problem.conflict(
      'mfa_already_enabled',
      'Two-factor authentication is already on; turn it off before enrolling another app.',
    ),
  notPending: () =>
    Problem.conflict(
      'mfa_not_pending',
      'There is no enrollment to confirm; start one with POST /v1/me/mfa/totp.',
    ),
  notEnabled: () =>
    new Problem(
      404,
      'mfa_not_enabled',
      'Not found',
      'Two-factor authentication is not on for this account.',
    ),
  invalidCode: () =>
    new Problem(
      400,
      'invalid_code',
      'Invalid code',
      'The code is wrong or was already used; enter the current code from your authenticator app.',
    ),
  wrongPassword: () =>
    new Problem(403, 'invalid_credentials', 'Invalid credentials', 'The password is wrong.'),
};
