// Every scenario, in the order a full run takes them. `instance` says which Tessera serves it:
// 'main' (BENCH_BCRYPT_COST, 12 by default) or 'cost10' (a second start with BCRYPT_COST=10).
import { checkSubject, checkToken } from './authz.mjs';
import { kitVerify } from './kit-verify.mjs';
import { login, loginCost10, loginMixed } from './login.mjs';
import { clientCredentials, introspect, jwks } from './oauth.mjs';
import { refresh } from './refresh.mjs';

export const SCENARIOS = [
  login,
  loginMixed,
  refresh,
  clientCredentials,
  checkSubject,
  checkToken,
  jwks,
  introspect,
  kitVerify,
  loginCost10,
].map((scenario) => ({ instance: 'main', ...scenario }));
