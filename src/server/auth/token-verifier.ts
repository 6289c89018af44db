// Verifies bearer JWTs against the identity provider's JWKS. jose caches the keys, refetches
// them when they are older than the maximum age, and on a token whose kid it does not know
// (a key rotation) at most once per cooldown. jose (46 modules) is imported when a verifier is
// made, that is only when authentication is on.
import type { errors, JWTPayload } from 'jose';
import type { Caller } from './caller.js';
import { MAX_TOKEN_LENGTH } from './caller.js';
import { type AuthOptions, DEFAULT_ROLES_CLAIM } from './options.js';
import { permissionsOf } from './permissions.js';

/** Asymmetric algorithms only: a JWKS publishes public keys, and "none" or HMAC never verify here. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Allowed clock difference between the provider and the gateway. */
const CLOCK_TOLERANCE_SECONDS = 30;
const JWKS_TIMEOUT_MS = 5_000;

export interface TokenVerifier {
  verify(token: string): Promise<Caller>;
  /** Fetches the keys now (start-up check); resolves with how many there are. */
  fetchKeys(): Promise<number>;
}

/** Why a token was refused, in words for `error_description` (no token content, no expected values). */
function rejection(error: errors.JOSEError): string | undefined {
  switch (error.code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const { claim, reason } = error as errors.JWTClaimValidationFailed;
      if (reason === 'missing') return `the token has no ${claim} claim`;
      if (claim === 'iss') return 'the token has an unexpected issuer';
      if (claim === 'aud') return 'the token is not meant for this service (audience)';
      if (claim === 'nbf') return 'the token is not valid yet';
      if (claim === 'iat') return 'the token was issued in the future';
      return `the token's ${claim} claim is invalid`;
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the token signature does not verify';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no key of the identity provider matches the token (kid and alg)';
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'several keys of the identity provider match the token; it needs a kid';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token is signed with an algorithm that is not accepted';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'the token is malformed';
    default:
      // ERR_JWKS_TIMEOUT, ERR_JWKS_INVALID and a failed fetch (ERR_JOSE_GENERIC): the provider's fault
      return undefined;
  }
}

export function createTokenVerifier(options: AuthOptions, onUnverifiable: (error: unknown) => void): TokenVerifier {
  if (!options.jwksUrl) throw new Error('authentication by JWKS needs a JWKS URL');
  const jwksUrl = new URL(options.jwksUrl);
  const loaded = import('jose').then((jose) => ({
    jose,
    keys: jose.createRemoteJWKSet(jwksUrl, {
      timeoutDuration: JWKS_TIMEOUT_MS,
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
    }),
  }));
  const rolesClaim = options.rolesClaim || DEFAULT_ROLES_CLAIM;
  const audience = options.audience?.length ? [...options.audience] : undefined;

  return {
    async verify(token) {
      if (!token) return { kind: 'rejected', reason: 'the bearer token is empty' };
      if (token.length > MAX_TOKEN_LENGTH) return { kind: 'rejected', reason: 'the token is too long' };
      const { jose, keys } = await loaded;
      let payload: JWTPayload;
      try {
        ({ payload } = await jose.jwtVerify(token, keys, {
          algorithms: ALGORITHMS,
          issuer: options.issuer || undefined,
          audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        const reason = error instanceof jose.errors.JOSEError ? rejection(error) : undefined;
        if (reason) return { kind: 'rejected', reason };
        onUnverifiable(error);
        return { kind: 'unverifiable' };
      }
      if (typeof payload.sub !== 'string' || !payload.sub) return { kind: 'rejected', reason: 'the token has no sub claim' };
      return { kind: 'token', subject: payload.sub, permissions: permissionsOf(payload, rolesClaim) };
    },
    async fetchKeys() {
      const { keys } = await loaded;
      await keys.reload();
      return keys.jwks()?.keys.length ?? 0;
    },
  };
}
