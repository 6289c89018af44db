// Prometheus metrics: HTTP requests by route and status, their durations, every SQL statement
// executed (so the GraphQL query budget is visible from outside) and GraphQL operations by the
// executor that answered them (compiled SQL or the resolvers).
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { onStatement } from '../db/sql-counter.js';
import { type Executor, onGraphQLOperation } from '../schema/plugins/executor-report.js';

export interface Metrics {
  registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  stop(): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'inventory_gateway_' });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const statements = new Counter({
    name: 'sql_statements_total',
    help: 'SQL statements sent to the database by this process.',
    registers: [registry],
  });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations executed, by executor: compiled (one SQL statement) or resolvers.',
    labelNames: ['executor'] as const,
    registers: [registry],
  });
  for (const executor of ['compiled', 'resolvers'] satisfies Executor[]) operations.inc({ executor }, 0);
  const unsubscribeStatements = onStatement(() => statements.inc());
  const unsubscribeOperations = onGraphQLOperation((executor) => operations.inc({ executor }));
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      durations.observe({ method, route }, seconds);
    },
    stop() {
      unsubscribeStatements();
      unsubscribeOperations();
    },
  };
}
