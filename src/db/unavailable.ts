// Whether an error means "the database cannot be reached right now" (stopped, restarting,
// network gone, pool exhausted) rather than "this request is wrong". Such requests answer
// 503 with Retry-After; the pool reconnects by itself once the database is back.

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
/** What node-postgres and sockets say when a connection dies under a query. */
const MESSAGES =
  /Connection terminated|ECONNREFUSED|ECONNRESET|EPIPE|timeout exceeded when trying to connect|Client has encountered a connection error|database is locked|SQLITE_BUSY/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  // biome-ignore lint/suspicious/noExplicitAny: driver errors are untyped objects walked by their cause chain
  for (let e = error as Record<string, any> | undefined, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (PRISMA_CODES.has(e.code)) return true;
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
