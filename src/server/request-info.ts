// What the HTTP layer knows about a request and passes down: its id and the caller.
import type { Caller } from './auth/caller.js';

export interface RequestInfo {
  id: string;
  /** The authenticated caller, when authentication is configured. */
  actor?: string;
  /** What the bearer token said, once the auth guard has looked (auth on only). */
  caller?: Caller;
  /** The client's IP: the TCP peer, or X-Forwarded-For's first entry from a trusted proxy. */
  clientAddress?: string;
}
