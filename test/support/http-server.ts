// Serves an in-process app on 127.0.0.1 with an OS-assigned port, for tests that need a real
// HTTP client (a browser, curl-like clients).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../src/server/app.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function serveOnLoopback(app: App): Promise<RunningServer> {
  const server: Server = createServer(app.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
