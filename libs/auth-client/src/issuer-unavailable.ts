/**
 * Tessera could not be asked (network, timeout, an unexpected status or body). The guard answers
 * 503 and never takes it for a decision. `message` names the call, never a token or secret.
 */
export class IssuerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IssuerUnavailableError';
  }
}
