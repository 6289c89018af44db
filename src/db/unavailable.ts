// Whether an error means "the database cannot be reached right now" (stopped, restarting,
// network gone, pool exhausted, or SQLite's write lock held too long by another writer)
// rather than "this request is wrong". Such requests answer 503 with Retry-After; the pool
// reconnects by itself once the database is back, and SQLite's lock is free once its holder
// commits.

/** Prisma's connection-level codes: can't reach, timed out, closed, pool timeout. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Driver-adapter error kinds that mean the same. */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);
/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, restart). */
const SQLSTATE = /^(08|57P0[1-3])/;
/**
 * P2028 is every "Transaction API error"; only this one means "busy": the transaction could not
 * begin within maxWait because another one held the connection (SQLite has one writer, and one
 * connection per process, so a long write such as an import queues the others behind it). An
 * expired or closed transaction, also P2028, stays an unexpected error.
 */
const TRANSACTION_START_TIMEOUT = /Unable to start a transaction in the given time/;
/** What node-postgres and sockets say when a connection dies under a query, and SQLite when its busy timeout runs out. */
const MESSAGES =
  /Connection terminated|ECONNREFUSED|ECONNRESET|EPIPE|timeout exceeded when trying to connect|Client has encountered a connection error|database is locked|SQLITE_BUSY/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  // biome-ignore lint/suspicious/noExplicitAny: driver errors are untyped objects walked by their cause chain
  for (let e = error as Record<string, any> | undefined, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (PRISMA_CODES.has(e.code)) return true;
    if (e.code === 'P2028' && typeof e.message === 'string' && TRANSACTION_START_TIMEOUT.test(e.message)) return true;
    const cause = e.meta?.driverAdapterError?.cause ?? e.cause;
    if (cause && ADAPTER_KINDS.has(cause.kind)) return true;
    if (typeof cause?.originalCode === 'string' && SQLSTATE.test(cause.originalCode)) return true;
    if (typeof e.code === 'string' && SQLSTATE.test(e.code) && e.code.length === 5) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    e = e.originalError ?? e.cause;
  }
  return false;
}

/** Seconds a client should wait before retrying (Retry-After). */
export const RETRY_AFTER_SECONDS = 5;
