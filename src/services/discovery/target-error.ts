// What went wrong with one crawl target, classified so an operator knows what to fix: the
// crawl reports it per target and carries on with the others.

export const TARGET_ERROR_KINDS = [
  /** No TCP connection, or no answer within the timeout. */
  'unreachable',
  /** The BMC refused the credentials (401/403), or none were given for it. */
  'refused-credentials',
  /** TLS failed: a certificate that the CA bundle does not sign, or not a pinned fingerprint. */
  'bad-tls',
  /** It answered, but not with JSON the reader can use (bad JSON, too large, a missing field). */
  'malformed-answer',
  /** It answered HTTP(S), but is not a Redfish service (no service root at /redfish/v1/). */
  'not-a-bmc',
  /** A Redfish service that kept failing (HTTP 5xx after the retries). */
  'bmc-error',
  /** Read, but what it answered could not be stored (SMD's StoreFailed). */
  'store-failed',
] as const;

export type TargetErrorKind = (typeof TARGET_ERROR_KINDS)[number];

export class TargetError extends Error {
  constructor(
    readonly kind: TargetErrorKind,
    message: string,
    /** Worth another attempt (a timeout, a reset connection, a 5xx). */
    readonly transient = false,
  ) {
    super(message);
    this.name = 'TargetError';
  }
}

/** Any error met while crawling one target, as a TargetError (an unexpected one is a malformed answer). */
export function asTargetError(error: unknown): TargetError {
  if (error instanceof TargetError) return error;
  return new TargetError('malformed-answer', (error as Error)?.message ?? String(error));
}
