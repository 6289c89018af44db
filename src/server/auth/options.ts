// How authentication is configured (from src/server/config.ts): bearer JWTs checked against
// an identity provider's JSON Web Key Set, or nothing at all.
import type { Config } from '../config.js';

export interface AuthOptions {
  mode: 'jwks' | 'off';
  /** The identity provider's JWKS (required when mode is jwks). */
  jwksUrl?: string;
  /** Expected `iss`; any issuer whose key is in the JWKS when absent. */
  issuer?: string;
  /** Accepted `aud` values (the token must name one); any audience when empty. */
  audience?: readonly string[];
  /** Claim holding the caller's roles; a dotted path reaches nested claims (`realm_access.roles`). */
  rolesClaim?: string;
  /**
   * Least time between two JWKS fetches triggered by an unknown `kid`, so that tokens naming
   * keys the provider never had cannot make the gateway hammer it. Default 30 s.
   */
  jwksCooldownMs?: number;
  /** Keys are refetched once older than this even when every kid is known. Default 10 min. */
  jwksMaxAgeMs?: number;
}

export const DEFAULT_ROLES_CLAIM = 'roles';

/** The auth options of a parsed configuration. */
export function authOptionsFromConfig(
  config: Pick<Config, 'auth' | 'jwksUrl' | 'jwtIssuer' | 'jwtAudience' | 'jwtRolesClaim'>,
): AuthOptions {
  if (config.auth === 'off') return { mode: 'off' };
  return {
    mode: 'jwks',
    jwksUrl: config.jwksUrl,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    rolesClaim: config.jwtRolesClaim,
  };
}
