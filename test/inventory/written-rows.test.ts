// createManyReturning (src/db/bulk-insert.ts) returns a large batch as written instead of
// reading it back (src/db/written-rows.ts): what it returns must be exactly what Prisma reads
// back, for every model written that way, with given values of every column type, columns left
// to their database defaults, and `omit`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_THRESHOLD, createManyReturning, type Row } from '../../src/db/bulk-insert.js';
import type { Tx } from '../../src/db/client.js';
import { parseDefault } from '../../src/db/column-defaults.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { inTransaction as inBoundTransaction } from '../support/transaction.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.destroy());

const scope = { statements: 0 };
const inTransaction = <T>(work: (tx: Tx) => Promise<T>) => inBoundTransaction(db, work, scope);

type Delegate = { findMany(args: object): Promise<Row[]> };
const N = BULK_THRESHOLD + 6;

/** Writes `rows` with createManyReturning and returns [returned, read back in the same order]. */
async function writeAndRead(model: string, rows: Row[], omit?: object) {
  return inTransaction(async (tx) => {
    const returned = await createManyReturning<{ id: string }>(tx, model, rows, omit);
    const statements = scope.statements;
    const delegate = (tx as unknown as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)];
    const read = await delegate.findMany({ where: { id: { in: returned.map((r) => r.id) } }, ...(omit ? { omit } : {}) });
    const byId = new Map(read.map((row) => [row.id, row]));
    return { returned, read: returned.map((r) => byId.get(r.id)), statements };
  });
}

describe('createManyReturning returns rows as Prisma reads them back', () => {
  it('Device: Json, Int, DateTime, nullable and defaulted columns, one INSERT and nothing read', async () => {
    const rows = Array.from({ length: N }, (_, i) => ({
      id: `wr-device-${i}`,
      deviceType: 'Node',
      name: i % 3 === 0 ? null : `n${i}`,
      rackPosition: i % 2 ? i : undefined,
      properties: { quote: `"it's" ${i}`, nested: [1, { two: null }], gone: undefined },
      providerMetadata: {},
      externalIds: { at: new Date('2026-01-02T03:04:05.678Z') },
      fruInfo: i % 2 ? null : { Model: 'X' },
      ...(i % 5 === 0 ? { status: 'planned', deletedAt: '2026-02-03T04:05:06.789Z', live: null } : {}),
    }));
    const { returned, read, statements } = await writeAndRead('Device', rows);
    expect(returned).toStrictEqual(read);
    expect(returned[1]).toMatchObject({ status: 'active', schemaVersion: 'v1', revision: 1, live: true, deletedAt: null });
    // Two INSERTs (two sets of columns), nothing read back.
    expect(statements).toBe(2);
  });

  it('Component: BigInt and Boolean columns given and defaulted', async () => {
    const rows = Array.from({ length: N }, (_, i) => ({
      id: `wr-comp-${i}`,
      xname: `x9000c0s${i}b0n0`,
      type: 'Node',
      ...(i % 2 ? { nid: 4_000_000_000 + i, enabled: false } : {}),
    }));
    const { returned, read } = await writeAndRead('Component', rows);
    expect(returned).toStrictEqual(read);
    expect(typeof (returned[1] as unknown as { nid: unknown }).nid).toBe('bigint');
  });

  it('RedfishEndpoint: without the omitted password', async () => {
    const rows = Array.from({ length: N }, (_, i) => ({
      id: `wr-ep-${i}`,
      xname: `x9001c0s${i}b0`,
      type: 'NodeBMC',
      discoveryInfo: {},
      password: 'secret',
    }));
    const { returned, read } = await writeAndRead('RedfishEndpoint', rows, { password: true });
    expect(returned).toStrictEqual(read);
    expect(returned[0]).not.toHaveProperty('password');
  });

  it('text and Json that look like array-literal syntax are written as given (PostgreSQL binds one array per column)', async () => {
    const awkward = ['NULL', '', '{a,b}', 'say "hi"', 'back\\slash', "it's", 'a, b', ' padded ', 'ünïcødé ✓', '\\N'];
    const rows = Array.from({ length: N }, (_, i) => ({
      id: `wr-awkward-${i}`,
      deviceType: 'Node',
      name: awkward[i % awkward.length],
      description: i % 4 === 0 ? null : awkward[(i + 3) % awkward.length],
      properties: { text: awkward[i % awkward.length], list: ['{', '}', null] },
      providerMetadata: {},
      externalIds: {},
    }));
    const { returned, read } = await writeAndRead('Device', rows);
    expect(returned).toStrictEqual(read);
    expect(read.map((row) => row?.name)).toStrictEqual(rows.map((row) => row.name));
    expect(read.map((row) => row?.description)).toStrictEqual(rows.map((row) => row.description));
  });

  it('Interface and Cable: Float and text defaults', async () => {
    await db.prisma.device.create({ data: { id: 'wr-host', deviceType: 'Node', properties: {}, providerMetadata: {}, externalIds: {} } });
    const interfaces = Array.from({ length: N }, (_, i) => ({ id: `wr-if-${i}`, name: `eth${i}`, deviceId: 'wr-host', properties: {} }));
    const a = await writeAndRead('Interface', interfaces);
    expect(a.returned).toStrictEqual(a.read);
    const cables = Array.from({ length: N }, (_, i) => ({ id: `wr-cable-${i}`, properties: {}, ...(i % 2 ? { length: 1.5 + i } : {}) }));
    const b = await writeAndRead('Cable', cables);
    expect(b.returned).toStrictEqual(b.read);
  });
});

describe('parseDefault', () => {
  it.each([
    ["'active'", 'active'],
    ["'active'::text", 'active'],
    ["'it''s'::character varying", "it's"],
    ['42', 42],
    ['-1.5', -1.5],
    ['true', true],
    ['FALSE', false],
    [null, null],
    ['NULL', null],
  ])('reads %s', (expression, value) => expect(parseDefault(expression)).toBe(value));

  it('knows the current timestamp and nothing it cannot evaluate', () => {
    expect(typeof parseDefault('CURRENT_TIMESTAMP')).toBe('symbol');
    expect(typeof parseDefault('nextval(\'"ChangeEvent_seq_seq"\'::regclass)')).toBe('symbol');
  });
});
