// Graceful shutdown: stop accepting connections, let requests in flight finish, and after
// `graceMs` close whatever is still open.
import type { Server } from 'node:http';

export function drainAndClose(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
