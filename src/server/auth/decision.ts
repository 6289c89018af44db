// Whether a caller may do what a route needs, and how a refusal is worded (RFC 6750): the same
// decision for REST and GraphQL.
import { RETRY_AFTER_SECONDS } from '../../db/unavailable.js';
import type { Caller } from './caller.js';
import type { Permission } from './permissions.js';

export const REALM = 'inventory-gateway';

export interface Denial {
  status: 401 | 403 | 503;
  /** RFC 6750 error code; none when no token was sent. */
  error?: 'invalid_token' | 'insufficient_scope';
  description: string;
  /** The permission the request lacked (403). */
  scope?: Permission;
}

/** undefined when the caller may go ahead. */
export function deny(caller: Caller, need: Permission): Denial | undefined {
  switch (caller.kind) {
    case 'anonymous':
      return { status: 401, description: 'a bearer token is required' };
    case 'rejected':
      return { status: 401, error: 'invalid_token', description: caller.reason };
    case 'unverifiable':
      return { status: 503, description: "the identity provider's keys cannot be fetched; retry shortly" };
    case 'token':
      return caller.permissions.has(need)
        ? undefined
        : { status: 403, error: 'insufficient_scope', description: `the token does not grant ${need} access`, scope: need };
  }
}

const quoted = (value: string) => `"${value.replace(/["\\]/g, '')}"`;

/** The WWW-Authenticate challenge of a 401 or 403; none for a 503. */
export function challenge(denial: Denial): string | undefined {
  if (denial.status === 503) return undefined;
  const params = [`realm=${quoted(REALM)}`];
  if (denial.error) params.push(`error=${quoted(denial.error)}`, `error_description=${quoted(denial.description)}`);
  if (denial.scope) params.push(`scope=${quoted(denial.scope)}`);
  return `Bearer ${params.join(', ')}`;
}

/** Response headers for a denial. */
export function denialHeaders(denial: Denial): Record<string, string> {
  const header = challenge(denial);
  if (header) return { 'www-authenticate': header };
  return { 'retry-after': String(RETRY_AFTER_SECONDS) };
}
