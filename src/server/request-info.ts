// What the HTTP layer knows about a request and passes down: its id and the caller.
import type { Caller } from './auth/caller.js';

export interface RequestInfo {
  id: string;
  /** The authenticated caller, when authentication is configured. */
  actor?: string;
  /** What the bearer token said, once the auth guard has looked (auth on only). */
  caller?: Caller;
  /**
   * The client's IP: the TCP peer; when the peer is a trusted proxy, the first address that is not
   * a trusted proxy walking X-Forwarded-For / Forwarded `for=` from the right (client-address.ts).
   */
  clientAddress?: string;
}
