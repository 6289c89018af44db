// What the HTTP layer knows about a request and passes down: its id and the caller.
export interface RequestInfo {
  id: string;
  /** The authenticated caller, when authentication is configured. */
  actor?: string;
}
