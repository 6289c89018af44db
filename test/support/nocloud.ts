// A gateway for the NoCloud tests: a fresh database holding a synthetic cluster (node k has
// NID k+1 and the address 10.100.⌊k/254⌋.(k%254+1)), and the app with NoCloud options and
// trusted proxies. Warnings and errors the app logs are kept in `logs`.
import { pino } from 'pino';
import { seedCluster } from '../../src/fixtures/seed.js';
import type { NoCloudOptions } from '../../src/rest-compat/nocloud/options.js';
import { type App, createApp } from '../../src/server/app.js';
import type { TrustedProxies } from '../../src/server/client-address.js';
import { createMetrics } from '../../src/server/metrics.js';
import type { ServiceContext } from '../../src/services/core/context.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface AppOptions {
  nocloud?: NoCloudOptions;
  trustedProxies?: TrustedProxies;
}

export interface NoCloudApp {
  app: App;
  /** A request to the in-process app, coming from `peer`. */
  fetch(path: string, peer: string, init?: RequestInit): Promise<Response>;
}

export interface NoCloudGateway extends NoCloudApp {
  db: TestDatabase;
  service: ServiceContext;
  logs: Array<Record<string, unknown>>;
  /** Another app on the same database (other NoCloud options, trusted proxies). */
  openApp(options: AppOptions): NoCloudApp;
  close(): Promise<void>;
}

/** The seeded address of node k (0-based). */
export function nodeAddress(k: number): string {
  return `10.100.${Math.floor(k / 254)}.${(k % 254) + 1}`;
}

export async function startNoCloudGateway(options: AppOptions & { nodes?: number } = {}): Promise<NoCloudGateway> {
  const db = await createTestDatabase();
  if (options.nodes) await seedCluster(db, { nodes: options.nodes });
  const metrics = createMetrics();
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const openApp = (appOptions: AppOptions): NoCloudApp => {
    const app = createApp({
      database: db,
      logger,
      metrics,
      exposeErrors: true,
      nocloud: appOptions.nocloud ?? { basePath: '/cloud-init' },
      trustedProxies: appOptions.trustedProxies,
    });
    return { app, fetch: async (path, peer, init) => app.fetch(new Request(`http://gateway.test${path}`, init), { peerAddress: peer }) };
  };
  return {
    ...openApp(options),
    db,
    service: { db: db.prisma, source: 'system', actor: 'test' },
    logs,
    openApp,
    async close() {
      metrics.stop();
      await db.destroy();
    },
  };
}
