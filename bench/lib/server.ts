// The real gateway on a loopback HTTP server: createApp's handler under node:http, silent logs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Database } from '../../src/db/client.js';
import { createApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `defaultLimits`: serve with the gateway's default GraphQL limits, as an operator meets it (the
 * console must live within them). Otherwise the cost limit is lifted: the bench times whole-site
 * trees at sizes past the default (about 2,500 nodes).
 */
export async function startServer(database: Database, { defaultLimits = false } = {}): Promise<RunningServer> {
  const metrics = createMetrics();
  const graphqlLimits = defaultLimits ? undefined : { maxCost: Number.MAX_SAFE_INTEGER };
  const app = createApp({ database, logger: pino({ level: 'silent' }), metrics, graphiql: false, exposeErrors: true, graphqlLimits });
  const server: Server = createServer(app.handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      metrics.stop();
    },
  };
}
