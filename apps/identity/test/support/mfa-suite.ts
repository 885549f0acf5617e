import type { Account } from './accounts';
import { appForSuite } from './suite-app';
import {
  forgetUsedSteps,
  loginWithMfa,
  mfaStep,
  MFA_SUITE_LIMITS,
  passwordStep,
  registerWithMfa,
} from './totp';

/**
 * {@link appForSuite} with limits that MFA suites never meet, and the helpers of support/totp.ts
 * bound to its app and client.
 */
export function mfaSuite(env: Record<string, string> = {}) {
  const { app, api } = appForSuite({ ...MFA_SUITE_LIMITS, ...env });
  return {
    app,
    api,
    registerWithMfa: () => registerWithMfa(api),
    passwordStep: (account: Pick<Account, 'email' | 'password'>) => passwordStep(api, account),
    mfaStep: (mfaToken: string, proof: Parameters<typeof mfaStep>[2]) =>
      mfaStep(api, mfaToken, proof),
    forgetUsedSteps: (userId: string) => forgetUsedSteps(app, userId),
    loginWithMfa: (account: Account, secret: string) => loginWithMfa(app, api, account, secret),
  };
}
