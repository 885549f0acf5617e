import type { JWTVerifyGetKey } from 'jose';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

/** What a resource server tells {@link AuthClientModule.forRoot}. */
export interface AuthClientOptions {
  /** Tessera's issuer URL, exactly as tokens carry it in `iss`; its metadata is discovered from it. */
  issuer: string;
  /** The `aud` this service accepts (one of them, if several). */
  audience: string | string[];
  /** This service's client credentials: needed by `@RequirePermissions` and the revocation follower. */
  clientId?: string;
  clientSecret?: string;
  /** Algorithms a token may be signed with; anything else is refused whatever its key. */
  algorithms?: SigningAlgorithm[];
  /** Leeway for `exp`, `nbf` and `iat` against this machine's clock. */
  clockToleranceSeconds?: number;
  /** How long a permission answer is reused for the same token and permissions. */
  permissionCacheSeconds?: number;
  /** Following Tessera's revocation feed, so that a revoked session is refused within seconds. */
  revocations?: { enabled: boolean; waitSeconds?: number };
  /** Least time between two JWKS fetches for an unknown `kid` (forged tokens cannot force more). */
  jwksCooldownSeconds?: number;
  /** Time allowed for each call to Tessera (the long poll gets its wait on top). */
  requestTimeoutSeconds?: number;
  /** Register {@link AuthGuard} for every route of the application (`@Public()` opens one). */
  guardAllRoutes?: boolean;
  /** Keys to verify with instead of the issuer's JWKS: for tests (see `testing/`). */
  jwks?: JWTVerifyGetKey;
  /** Decides permissions locally instead of asking Tessera: for tests (see `testing/`). */
  authorize?: (claims: AccessTokenClaims, permissions: string[]) => boolean | Promise<boolean>;
}

/** The claims of a verified access token (RFC 9068, as Tessera issues them). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  jti: string;
  client_id: string;
  /** The session; absent in a service's own token. */
  sid?: string;
  amr?: string[];
  roles?: string[];
  [claim: string]: unknown;
}

export interface ResolvedOptions extends Required<
  Pick<
    AuthClientOptions,
    | 'algorithms'
    | 'clockToleranceSeconds'
    | 'permissionCacheSeconds'
    | 'jwksCooldownSeconds'
    | 'requestTimeoutSeconds'
  >
> {
  /** Exactly as configured: what `iss` must equal. */
  issuer: string;
  /** The issuer without a trailing slash, to build endpoint URLs on. */
  baseUrl: string;
  audience: string | string[];
  clientId?: string;
  clientSecret?: string;
  revocations: { enabled: boolean; waitSeconds: number };
  guardAllRoutes: boolean;
  jwks?: JWTVerifyGetKey;
  authorize?: AuthClientOptions['authorize'];
}

export const AUTH_CLIENT_OPTIONS = Symbol('AUTH_CLIENT_OPTIONS');

/** The feed holds an answer for at most 30 s. */
const MAX_WAIT_SECONDS = 30;

/** Fills in defaults and refuses, at start, a configuration that could only fail later. */
export function resolveOptions(options: AuthClientOptions): ResolvedOptions {
  const issuer = new URL(options.issuer);
  if (
    issuer.protocol !== 'https:' &&
    !['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname)
  ) {
    throw new Error('auth-client: the issuer must be an https URL (http only for localhost)');
  }
  if (Boolean(options.clientId) !== Boolean(options.clientSecret)) {
    throw new Error('auth-client: give both clientId and clientSecret, or neither');
  }
  const revocations = {
    enabled: options.revocations?.enabled ?? false,
    waitSeconds: options.revocations?.waitSeconds ?? 25,
  };
  if (revocations.enabled && !options.clientId) {
    throw new Error('auth-client: following revocations needs clientId and clientSecret');
  }
  if (revocations.waitSeconds < 0 || revocations.waitSeconds > MAX_WAIT_SECONDS) {
    throw new Error(`auth-client: revocations.waitSeconds must be 0 to ${MAX_WAIT_SECONDS}`);
  }
  const algorithms = options.algorithms ?? ['RS256', 'ES256', 'EdDSA'];
  if (algorithms.length === 0) throw new Error('auth-client: algorithms must not be empty');
  return {
    issuer: options.issuer,
    baseUrl: options.issuer.replace(/\/+$/, ''),
    audience: options.audience,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    algorithms,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 30,
    permissionCacheSeconds: options.permissionCacheSeconds ?? 5,
    jwksCooldownSeconds: options.jwksCooldownSeconds ?? 30,
    requestTimeoutSeconds: options.requestTimeoutSeconds ?? 5,
    revocations,
    guardAllRoutes: options.guardAllRoutes ?? false,
    jwks: options.jwks,
    authorize: options.authorize,
  };
}
