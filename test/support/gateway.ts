// The whole gateway in-process for a test: a fresh database and the app's fetch handler.
import { pino } from 'pino';
import { createApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import type { ServiceContext } from '../../src/services/context.js';
import { type TestDatabase, createTestDatabase } from './database.js';

export interface GraphQLResult<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; field?: string } }>;
}

export interface TestGateway {
  db: TestDatabase;
  app: ReturnType<typeof createApp>;
  /** A service context for arranging data directly through the services. */
  service: ServiceContext;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T> & { statements: number }>;
  close(): Promise<void>;
}

export async function startTestGateway(): Promise<TestGateway> {
  const db = await createTestDatabase();
  const metrics = createMetrics();
  const app = createApp({ database: db, logger: pino({ level: 'silent' }), metrics, exposeErrors: true });
  return {
    db,
    app,
    service: { db: db.prisma, source: 'system', actor: 'test' },
    async gql(query, variables) {
      const response = await app.fetch(
        new Request('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query, variables }),
        }),
      );
      const body = (await response.json()) as GraphQLResult;
      return { ...body, statements: Number(response.headers.get('x-sql-statements')) };
    },
    async close() {
      metrics.stop();
      await db.destroy();
    },
  };
}
