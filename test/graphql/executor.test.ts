// Which executor answers a GraphQL operation (src/schema/plugins/compiled-execution.ts,
// executor-report.ts): on PostgreSQL a document the compiled reads cover is one SQL statement,
// anything else goes to the resolvers, and only a NotCompilable document does. The answer says
// which in x-graphql-executor, /metrics counts it, and the reason a document was not compiled is
// logged at debug level. A real failure inside the compiled path is an error response, logged,
// never a silent second try by the resolvers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { COMPILED_TYPES, type FieldSql } from '../../src/schema/compiled-read/fields.js';
import { DEVICE_READ_ROOTS } from '../../src/schema/types/device.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { createMetrics, type Metrics } from '../../src/server/metrics.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const TREE = '{ devices(first: 3, filter: { deviceType: ["Cabinet"] }) { totalCount edges { node { name children { name } } } } }';

type LogLine = { level: number; msg: string; reason?: string; requestId?: string; err?: { message: string } };

let db: TestDatabase;
let metrics: Metrics;
let app: ReturnType<typeof createApp>;
const logLines: LogLine[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  metrics = createMetrics();
  const logger = createLogger('debug', { write: (line: string) => logLines.push(JSON.parse(line)) });
  // Errors masked as in production: the test sees what a client sees.
  app = createApp({ database: db, logger, metrics, exposeErrors: false });
  await app.feedReady;
  await loadInventory({ db: db.prisma, source: 'seed', actor: 'test' }, generateCluster({ nodes: 8 }));
}, 120_000);

afterAll(async () => {
  metrics.stop();
  await db.destroy();
});

interface Answer {
  executor: string | null;
  statements: number;
  requestId: string | null;
  body: { data?: any; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
}

async function ask(query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await app.fetch(
    new Request('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    }),
  );
  return {
    executor: response.headers.get('x-graphql-executor'),
    statements: Number(response.headers.get('x-sql-statements')),
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as Answer['body'],
  };
}

const linesOf = (requestId: string | null, msg: string) => logLines.filter((line) => line.requestId === requestId && line.msg === msg);

describe('x-graphql-executor says which executor answered', () => {
  it('a device tree: compiled into one statement on both engines', async () => {
    const answer = await ask(TREE);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.devices.edges.length).toBeGreaterThan(0);
    expect(answer.executor).toBe('compiled');
    expect(answer.statements).toBe(1);
  });

  it.each([
    ['a cursor', '{ devices(first: 1) { edges { cursor node { name } } } }', /cursor/],
    ['a field without SQL', '{ devices(first: 1) { edges { node { name descendants(maxDepth: 1) { name } } } } }', /Device\.descendants/],
    ['another root field', '{ components(first: 1) { totalCount } }', /Query\.components/],
    ['a directive', '{ devices(first: 1) { edges { node { name @include(if: true) } } } }', /@include/],
    [
      'a filter the SQL does not write',
      '{ devices(first: 1, filter: { xnamePrefix: "x1000" }) { totalCount } }',
      /filter: .*installations/,
    ],
    ['a mutation', 'mutation { createDevice(input: { deviceType: "Node", name: "executor-test" }) { name } }', /a mutation/],
  ])('%s: the resolvers, and the reason at debug level', async (_name, document, reason) => {
    const answer = await ask(document);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.executor).toBe('resolvers');
    const logged = linesOf(answer.requestId, 'GraphQL operation not compiled');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.level).toBe(20); // pino's debug
    expect(logged[0]?.reason).toMatch(reason);
  });

  it('an id the resolver refuses: the resolvers answer with their typed error', async () => {
    const answer = await ask('query($id: ID!) { device(id: $id) { name } }', { id: 'not-an-id' });
    expect(answer.executor).toBe('resolvers');
    expect(answer.body.data).toEqual({ device: null });
    expect(answer.body.errors?.[0]).toMatchObject({ path: ['device'], extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
    expect(linesOf(answer.requestId, 'GraphQL operation not compiled')[0]?.reason).toMatch(/refuse.*BAD_USER_INPUT on id/);
  });

  it('a document refused before it runs has no executor', async () => {
    const answer = await ask('{ devices { edges { node { colour } } } }');
    expect(answer.body.errors?.[0]?.message).toMatch(/Cannot query field "colour"/);
    expect(answer.executor).toBeNull();
  });
});

describe('a failure inside the compiled path is an error, never a silent fallback', () => {
  /**
   * Expects the masked error of a failed compiled read, logged (since log line `from`) with
   * `cause`, and no second try.
   */
  function expectMaskedFailure(answer: Answer, from: number, cause: RegExp, statements: number) {
    expect(answer.executor).toBe('compiled');
    expect(answer.statements).toBe(statements); // the resolvers would have read the devices again
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors?.[0]).toMatchObject({
      message: 'Unexpected error.',
      path: ['devices'],
      extensions: { requestId: answer.requestId },
    });
    expect(JSON.stringify(answer.body)).not.toMatch(cause);
    // The masking logs it (without the request id: yoga's maskError is given no context).
    const logged = logLines.slice(from).filter((line) => line.msg === 'unexpected GraphQL error');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.err?.message).toMatch(cause);
    expect(linesOf(answer.requestId, 'GraphQL operation not compiled')).toHaveLength(0);
  }

  it('a statement the database rejects (a column planted in the compiled fields)', async () => {
    const fields = COMPILED_TYPES.Device?.fields as Record<string, FieldSql>;
    const original = fields.serialNumber as FieldSql;
    fields.serialNumber = { kind: 'column', column: 'no_such_column', format: 'plain' };
    try {
      // A document text of its own: plans are kept per document.
      const from = logLines.length;
      const answer = await ask('{ devices(first: 2) { edges { node { planted: serialNumber } } } }');
      expectMaskedFailure(answer, from, /no_such_column/, 1);
    } finally {
      fields.serialNumber = original;
    }
  });

  it('an error while the statement is written (a root hook that throws)', async () => {
    const roots = DEVICE_READ_ROOTS as unknown as { devices: { where: (...args: unknown[]) => Promise<unknown> } };
    const original = roots.devices.where;
    roots.devices.where = () => Promise.reject(new TypeError('planted hook failure'));
    try {
      const from = logLines.length;
      expectMaskedFailure(await ask('{ devices(first: 2) { totalCount } }'), from, /planted hook failure/, 0);
    } finally {
      roots.devices.where = original;
    }
    // Restored, the same document compiles again.
    const again = await ask('{ devices(first: 2) { totalCount } }');
    expect(again.executor).toBe('compiled');
    expect(again.body.errors).toBeUndefined();
  });
});

describe('/metrics counts operations by executor', () => {
  async function operations(): Promise<Record<string, number>> {
    const text = await (await app.fetch(new Request('http://gateway.test/metrics'))).text();
    return Object.fromEntries(
      [...text.matchAll(/^graphql_operations_total\{executor="(\w+)"\} (\d+)$/gm)].map(([, k, v]) => [k, Number(v)]),
    );
  }

  it('graphql_operations_total{executor} goes up by one for the executor that answered', async () => {
    const before = await operations();
    expect(Object.keys(before).sort()).toEqual(['compiled', 'resolvers']);
    await ask(TREE);
    const after = await operations();
    const [executor, other] = ['compiled', 'resolvers'];
    expect(after[executor]).toBe((before[executor] ?? 0) + 1);
    expect(after[other]).toBe(before[other]);
  });
});
