/** The bootstrap admin settings the tests start with, and the email as it is stored. */
export const ADMIN_EMAIL = 'Root.Admin@Example.COM';
export const ADMIN_EMAIL_STORED = 'root.admin@example.com';
export const ADMIN_PASSWORD = 'keys to the kingdom, kept safe';
export const BOOTSTRAP = {
  BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
};
