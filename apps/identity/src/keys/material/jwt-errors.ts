/**
 * A presented token was refused. `message` is a short reason for logs; it never contains the
 * token, its claims or key material. Callers answer every instance the same way (401).
 */
export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/** For `.catch(refusedAsUndefined)`: a refused token becomes undefined, anything else rethrows. */
export function refusedAsUndefined(error: unknown): undefined {
  if (error instanceof InvalidTokenError) return undefined;
  throw error;
}
