/** The login body of an account (its id would be an unknown field). */
export function creds(account: { email: string; password: string }) {
  return { email: account.email, password: account.password };
}
