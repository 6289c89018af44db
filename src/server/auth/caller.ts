// Who is calling, as far as the Authorization header tells.
import type { Permission } from './permissions.js';

export type Caller =
  /** No bearer token. */
  | { kind: 'anonymous' }
  /** A token that verified: its `sub` and what its scopes and roles allow. */
  | { kind: 'token'; subject: string; permissions: ReadonlySet<Permission> }
  /** A token that did not verify; `reason` is safe to show the caller (never the token). */
  | { kind: 'rejected'; reason: string }
  /** The keys could not be fetched, so nothing can be verified for now. */
  | { kind: 'unverifiable' };

/** Longer than any real access token; refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 16_384;

/** The token of `Authorization: Bearer <token>`; "" for an empty one; undefined for no (or another) scheme. */
export function bearerToken(authorization: string | null): string | undefined {
  const match = authorization?.match(/^\s*Bearer(?:\s+(.*?))?\s*$/i);
  return match ? (match[1] ?? '') : undefined;
}
