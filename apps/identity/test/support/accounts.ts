import { randomBytes } from 'node:crypto';
import type { Client } from './http';

export const GOOD_PASSWORD = 'violet lantern orbits quietly 42';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
}

export interface Account {
  id: string;
  email: string;
  password: string;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
}

/** Registers a new account and fails the test if that does not work. */
export async function register(api: Client, email = uniqueEmail(), password = GOOD_PASSWORD) {
  const reply = await api.post('/v1/auth/register', { email, password });
  if (reply.status !== 201) throw new Error(`register answered ${reply.status}: ${reply.text}`);
  return { id: reply.body.id as string, email, password } satisfies Account;
}

export async function login(api: Client, account: Pick<Account, 'email' | 'password'>) {
  const reply = await api.post('/v1/auth/login', {
    email: account.email,
    password: account.password,
  });
  if (reply.status !== 200) throw new Error(`login answered ${reply.status}: ${reply.text}`);
  return reply.body as Tokens;
}

export async function registerAndLogin(api: Client) {
  const account = await register(api);
  return { account, tokens: await login(api, account) };
}
