import { Inject, Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { AccessTokenClaims, AUTH_CLIENT_OPTIONS, ResolvedOptions } from './auth-client.options';
import { IssuerClient } from './issuer-client';
import { IssuerUnavailableError } from './issuer-unavailable';

/** How long fetched keys are trusted before the JWKS is fetched again anyway. */
const JWKS_MAX_AGE_MS = 10 * 60_000;

/** Errors that say the token is bad; any other failure means the keys could not be had. */
const TOKEN_FAULTS = new Set([
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_INVALID',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

/** The token was refused. The reason is for logs and never holds the token or its claims. */
export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Verifies access tokens locally (RFC 9068): signature by a key of Tessera's JWKS, `iss`, `aud`,
 * `typ: at+jwt`, an allowed algorithm, `exp`/`nbf` with the clock tolerance, and the claims a
 * token must carry. jose caches the JWKS, and refetches it for an unknown `kid` at most once per
 * cooldown. Throws {@link InvalidTokenError}, or {@link IssuerUnavailableError} when the keys
 * could not be fetched.
 */
@Injectable()
export class TokenVerifier {
  private keys?: Promise<JWTVerifyGetKey>;

  constructor(
    @Inject(AUTH_CLIENT_OPTIONS) private readonly options: ResolvedOptions,
    private readonly issuer: IssuerClient,
  ) {}

  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      // Not even a JWS: refused without waiting for keys, even while Tessera is unreachable.
      decodeProtectedHeader(token);
    } catch {
      throw new InvalidTokenError('malformed');
    }
    const keys = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: 'at+jwt',
        algorithms: this.options.algorithms,
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id'],
      });
      return payload as AccessTokenClaims;
    } catch (error) {
      if (error instanceof errors.JOSEError && TOKEN_FAULTS.has(error.code)) {
        throw new InvalidTokenError(error.code);
      }
      throw new IssuerUnavailableError('jwks: keys could not be fetched', { cause: error });
    }
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    if (this.options.jwks) return Promise.resolve(this.options.jwks);
    this.keys ??= this.issuer.discover().then(
      ({ jwks_uri }) =>
        createRemoteJWKSet(new URL(jwks_uri), {
          cooldownDuration: this.options.jwksCooldownSeconds * 1000,
          cacheMaxAge: JWKS_MAX_AGE_MS,
          timeoutDuration: this.options.requestTimeoutSeconds * 1000,
        }),
      (error: unknown) => {
        this.keys = undefined;
        throw error;
      },
    );
    return this.keys;
  }
}
