// What main.ts says about authentication when it starts: loudly when it is off, and when a
// JWKS set-up leaves the issuer or audience open.
import type { Logger } from '../logger.js';
import { type AuthOptions, DEFAULT_ROLES_CLAIM } from './options.js';

export const AUTH_OFF_WARNING =
  'AUTHENTICATION IS OFF: anyone who can reach this port can read and change the whole inventory. ' +
  'Use --auth jwks --jwks-url <url> --jwt-issuer <iss> --jwt-audience <aud> on any shared network.';

export function announceAuth(logger: Logger, options: AuthOptions): void {
  if (options.mode === 'off') {
    logger.warn({ auth: 'off' }, AUTH_OFF_WARNING);
    return;
  }
  const { jwksUrl, issuer, audience = [], rolesClaim = DEFAULT_ROLES_CLAIM } = options;
  logger.info({ auth: 'jwks', jwksUrl, issuer, audience, rolesClaim }, 'authentication: bearer JWTs verified against the JWKS');
  if (!issuer) logger.warn({ auth: 'jwks' }, 'no --jwt-issuer: tokens from any issuer whose key is in the JWKS are accepted');
  if (!audience.length) logger.warn({ auth: 'jwks' }, 'no --jwt-audience: tokens meant for any service are accepted');
}
