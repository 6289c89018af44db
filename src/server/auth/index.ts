// Authentication and authorisation: bearer JWTs verified against a JWKS, read and write
// permissions from scopes and roles, public and node-identity routes left open.

export { operationAccessPlugin } from '../../schema/plugins/operation-access.js';
export type { Caller } from './caller.js';
export { type AuthGuard, createAuthGuard } from './guard.js';
export { type AuthOptions, authOptionsFromConfig, DEFAULT_ROLES_CLAIM } from './options.js';
export { AUTH_OFF_WARNING, announceAuth } from './startup.js';
