// What the logs say about errors: a client's mistake (a 4xx on REST, a typed GraphQL error)
// is logged at info or warn without a stack trace; an unexpected error at error, with its
// stack, once.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

interface LogLine {
  level: number;
  msg: string;
  err?: { stack?: string };
  [key: string]: unknown;
}

const ERROR = 50;
let lines: LogLine[] = [];
let db: TestDatabase;
let app: App;

beforeAll(async () => {
  db = await createTestDatabase();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  app = createApp({ database: db, logger: pino({ level: 'info' }, destination), metrics: createMetrics(), exposeErrors: false });
  await app.feedReady;
});
afterAll(() => db.destroy());

async function call(method: string, path: string, body?: unknown): Promise<number> {
  const response = await app.fetch(
    new Request(`http://gateway.test${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  await response.text();
  return response.status;
}

const graphql = (query: string) => call('POST', '/graphql', { query });

describe('client errors', () => {
  it.each([
    ['SMD: a bad component', () => call('POST', '/hsm/v2/State/Components', { Components: [{ ID: 'nope' }] })],
    ['SMD: a bad MACAddr', () => call('POST', '/hsm/v2/Inventory/RedfishEndpoints', { ID: 'x3000c0s1b0', MACAddr: 'zz' })],
    ['SMD: malformed JSON', () => call('POST', '/hsm/v2/State/Components', '{"Components": [')],
    ['inventory v1: an unknown device', () => call('GET', '/apis/inventory/v1/devices/8c1f6a52-6e8e-4d0b-9a59-2b5a3c7d9e10')],
    ['inventory v1: a bad device', () => call('POST', '/apis/inventory/v1/devices', { deviceType: 7 })],
    ['Fabrica: an unknown resource', () => call('GET', '/components/nope')],
    ['import: an unknown format', () => call('POST', '/apis/import/v1/nope', '{}')],
    ['history: a bad limit', () => call('GET', '/apis/history/v1/events?limit=abc')],
    ['GraphQL: a bad id', () => graphql('{ device(id: "nope") { name } }')],
    ['GraphQL: a bad cursor', () => graphql('{ devices(after: "zzz") { totalCount } }')],
    ['GraphQL: a bad global id', () => graphql('{ node(id: "nope") { id } }')],
    [
      'GraphQL: a missing row',
      () => graphql('mutation { updateDevice(id: "8c1f6a52-6e8e-4d0b-9a59-2b5a3c7d9e10", input: { name: "x" }) { name } }'),
    ],
    ['GraphQL: a validation error', () => graphql('{ devices { colour } }')],
    ['GraphQL: a page too large', () => graphql('{ devices(first: 100000) { totalCount } }')],
  ])('%s: logged below error, without a stack', async (_name, request) => {
    lines = [];
    const status = await request();
    expect(status).toBeLessThan(500);
    expect(lines.length, 'the request line at least').toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.level, JSON.stringify(line)).toBeLessThan(ERROR);
      expect(JSON.stringify(line)).not.toMatch(/"stack"|\n\s+at /);
    }
  });
});

describe('unexpected errors', () => {
  it('are logged at error with their stack, once', async () => {
    await db.prisma.$executeRawUnsafe('ALTER TABLE "Rack" RENAME COLUMN "name" TO "name_was_renamed"');
    lines = [];
    await graphql('{ racks { edges { node { name } } } }');
    const errors = lines.filter((line) => line.level >= ERROR);
    expect(errors, JSON.stringify(lines)).toHaveLength(1);
    expect(errors[0].err?.stack).toMatch(/\n\s+at /);
  });
});
