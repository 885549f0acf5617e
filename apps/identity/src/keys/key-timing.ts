/** How long consumers may cache the JWKS; they refetch it when a token names an unknown kid. */
export const JWKS_MAX_AGE_SECONDS = 300;

/** How often each instance reloads the keys from the database, picking up other instances' changes. */
export const RELOAD_INTERVAL_MS = 30_000;

/** How often each instance checks whether a scheduled rotation step is due. */
export const SCHEDULE_INTERVAL_MS = 60_000;

/**
 * Leeway after a key stops signing: other instances sign with it until their next reload, and
 * clocks differ.
 */
export const GRACE_SECONDS = RELOAD_INTERVAL_MS / 1000 + 30;

/**
 * A scheduled key is published this long before it signs: one JWKS cache lifetime, after every
 * instance has had a reload to start serving it.
 */
export const NEXT_KEY_LEAD_SECONDS = JWKS_MAX_AGE_SECONDS + RELOAD_INTERVAL_MS / 1000;
