// The whole gateway in-process for a test: a fresh database and the app's fetch handler.
import { pino } from 'pino';
import { type AppOptions, createApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import type { ServiceContext } from '../../src/services/core/context.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface GraphQLResult<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; field?: string } }>;
}

/** A REST reply: status, headers, the parsed JSON body (when JSON), the raw text and the SQL it took. */
export interface RestReply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  /** The x-sql-statements header: how many SQL statements the request ran. */
  statements: number;
}

export interface RestOptions {
  /** Request headers; they override the JSON content-type a body is sent with. */
  headers?: Record<string, string>;
}

export interface TestGateway {
  db: TestDatabase;
  app: ReturnType<typeof createApp>;
  /** A service context for arranging data directly through the services. */
  service: ServiceContext;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T> & { statements: number }>;
  /** A REST call in-process; a non-string body is sent as JSON. */
  rest(method: string, path: string, body?: unknown, options?: RestOptions): Promise<RestReply>;
  close(): Promise<void>;
}

/** Options passed on to the app (authentication, GraphQL limits, error masking …). */
export type TestGatewayOptions = Pick<AppOptions, 'auth' | 'graphqlLimits' | 'exposeErrors'>;

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const db = await createTestDatabase();
  const metrics = createMetrics();
  const app = createApp({ database: db, logger: pino({ level: 'silent' }), metrics, exposeErrors: true, ...options });
  await app.feedReady;
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
    async rest(method, path, body, options = {}) {
      const headers = new Headers();
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers.set('content-type', 'application/json');
      }
      for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
      const response = await app.fetch(new Request(`http://gateway.test${path}`, { method, headers, body: payload }));
      const text = await response.text();
      const json = /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined;
      return {
        status: response.status,
        headers: response.headers,
        body: json,
        text,
        statements: Number(response.headers.get('x-sql-statements')),
      };
    },
    async close() {
      metrics.stop();
      await db.destroy();
    },
  };
}
