// A write that cannot get the database in time is the client's "retry shortly" (503 with
// Retry-After; GraphQL SERVICE_UNAVAILABLE), never a 500:
//   - SQLite, another connection holding the write lock (another process, the CLI …): the
//     busy timeout runs out (SQLITE_BUSY);
//   - this process's own connection held by a long transaction (an import): the next
//     transaction cannot start within maxWait (SQLite has one connection per process; on
//     PostgreSQL, every connection of the pool held).
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from '../support/database.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

let nextNode = 0;
const createComponent = () =>
  gw.rest('POST', '/hsm/v2/State/Components', { Components: [{ ID: `x3000c0s${nextNode++}b0n0`, State: 'Ready' }] });
const graphqlWrite = () =>
  gw.gql(`mutation { updateComponent(xname: "x3000c0s0b0n0", input: { state: "Off" }) { state } }`) as Promise<{
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  }>;

function expectBusyRest(reply: Awaited<ReturnType<typeof createComponent>>) {
  expect(reply.status, reply.text).toBe(503);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.headers.get('retry-after')).toBe('5');
  expect(reply.body.detail).toMatch(/database is unavailable; retry shortly/);
}

function expectBusyGraphQL(result: Awaited<ReturnType<typeof graphqlWrite>>) {
  expect(result.errors?.[0].extensions?.code, JSON.stringify(result)).toBe('SERVICE_UNAVAILABLE');
  expect(result.errors?.[0].message).toMatch(/retry shortly/);
}

describe.skipIf(TEST_ENGINE !== 'sqlite')('SQLite: another connection holds the write lock', () => {
  it('answers 503 with Retry-After on REST and SERVICE_UNAVAILABLE in GraphQL, then writes once it is free', async () => {
    expect((await createComponent()).status).toBe(204);
    const file = gw.db.url.replace(/^file:/, '');
    const other = await new PrismaBetterSqlite3({ url: `file:${file}` }).connect();
    await other.executeScript('BEGIN IMMEDIATE');
    try {
      expectBusyRest(await createComponent());
      expectBusyGraphQL(await graphqlWrite());
      // Reads go on: WAL readers do not wait for the writer.
      expect((await gw.rest('GET', '/hsm/v2/State/Components')).status).toBe(200);
    } finally {
      await other.executeScript('ROLLBACK');
      await other.dispose();
    }
    expect((await createComponent()).status).toBe(204);
    expect((await graphqlWrite()).errors).toBeUndefined();
  }, 120_000);
});

describe("this process's connections held by long transactions", () => {
  it('answers 503 when no transaction can start within maxWait, then writes once they end', async () => {
    // SQLite: the one connection; PostgreSQL: the test pool's 4.
    const holders = TEST_ENGINE === 'sqlite' ? 1 : 4;
    const releases: Array<() => void> = [];
    const started: Array<Promise<void>> = [];
    const held = Array.from({ length: holders }, () =>
      gw.db.prisma.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe('SELECT 1');
          await new Promise<void>((resolve) => {
            releases.push(resolve);
          });
        },
        { timeout: 120_000, maxWait: 60_000 },
      ),
    );
    for (const h of held) started.push(h.catch(() => undefined));
    const deadline = Date.now() + 30_000;
    while (releases.length < holders && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(releases).toHaveLength(holders);
    try {
      expectBusyRest(await createComponent());
      expectBusyGraphQL(await graphqlWrite());
    } finally {
      for (const release of releases) release();
      await Promise.all(held);
    }
    expect((await createComponent()).status).toBe(204);
  }, 120_000);
});
