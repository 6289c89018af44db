// What the HTTP layer knows about a request and passes down: its id and the caller.
export interface RequestInfo {
  id: string;
  /** The authenticated caller, when authentication is configured. */
  actor?: string;
  /** The client's IP: the TCP peer, or X-Forwarded-For's first entry from a trusted proxy. */
  clientAddress?: string;
}
