// findManyIn (src/db/where-in.ts) reads rows by a list of keys bound as one parameter; the bulk
// writers and imports read their batches with it instead of findMany. Its rows must be exactly
// the rows findMany reads, in every column type, on both engines, with one statement whatever
// the list's length.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManyReturning } from '../../src/db/bulk-insert.js';
import type { Tx } from '../../src/db/client.js';
import { findManyIn } from '../../src/db/where-in.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { inTransaction as inBoundTransaction } from '../support/transaction.js';

let db: TestDatabase;
const scope = { statements: 0 };
const inTransaction = <T>(work: (tx: Tx) => Promise<T>) => inBoundTransaction(db, work, scope);
/** The statements `work` ran. */
async function counted<T>(work: () => Promise<T>): Promise<{ value: T; statements: number }> {
  const before = scope.statements;
  const value = await work();
  return { value, statements: scope.statements - before };
}

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
const DEVICES = 80;

beforeAll(async () => {
  db = await createTestDatabase();
  await inTransaction(async (tx) => {
    await createManyReturning(
      tx,
      'Device',
      Array.from({ length: DEVICES }, (_, i) => ({
        id: `wi-device-${String(i).padStart(3, '0')}`,
        deviceType: 'Node',
        name: i % 3 === 0 ? null : `n'${i}"ü`,
        serialNumber: `SN${i % 40}`,
        manufacturer: `M${i}`,
        rackPosition: i % 2 ? i : undefined,
        properties: { nested: [1, { two: null }], text: `é ${i}` },
        providerMetadata: {},
        externalIds: {},
        ...(i % 5 === 0 ? { deletedAt: '2026-02-03T04:05:06.789Z', live: null } : {}),
      })),
    );
    await createManyReturning(
      tx,
      'Component',
      Array.from({ length: 70 }, (_, i) => ({
        id: `wi-comp-${i}`,
        xname: `x9000c0s${i}b0n0`,
        type: 'Node',
        ...(i % 2 ? { nid: 4_000_000_000 + i, enabled: false } : {}),
      })),
    );
  });
});
afterAll(async () => db?.destroy());

describe('findManyIn reads what findMany reads', () => {
  it('every column of every row named, deleted ones too, missing keys ignored', async () => {
    await inTransaction(async (tx) => {
      const ids = [...Array.from({ length: DEVICES }, (_, i) => `wi-device-${String(i).padStart(3, '0')}`), 'no-such-device', "it's"];
      const expected = await tx.device.findMany({ where: { id: { in: ids } } });
      const { value, statements } = await counted(() => findManyIn(tx, 'Device', 'id', ids));
      expect(byId(value)).toStrictEqual(byId(expected));
      expect(value).toHaveLength(DEVICES);
      expect(statements).toBe(1);
    });
  });

  it('BigInt and Boolean columns (Component)', async () => {
    await inTransaction(async (tx) => {
      const xnames = Array.from({ length: 70 }, (_, i) => `x9000c0s${i}b0n0`);
      const expected = await tx.component.findMany({ where: { xname: { in: xnames } } });
      const value = await findManyIn(tx, 'Component', 'xname', xnames);
      expect(byId(value)).toStrictEqual(byId(expected));
      expect(typeof value.find((c) => c.id === 'wi-comp-1')?.nid).toBe('bigint');
    });
  });

  it('selected columns, live rows only, by a non-key column', async () => {
    await inTransaction(async (tx) => {
      const serials = ['SN1', 'SN5', 'SN7', 'none'];
      const expected = await tx.device.findMany({
        where: { serialNumber: { in: serials }, deletedAt: null },
        select: { id: true, manufacturer: true, serialNumber: true, properties: true },
      });
      const value = await findManyIn(tx, 'Device', 'serialNumber', serials, {
        select: ['id', 'manufacturer', 'serialNumber', 'properties'],
        live: true,
      });
      expect(byId(value)).toStrictEqual(byId(expected));
      // SN5 is held by wi-device-005 (deleted) and wi-device-045 (live).
      expect(value.map((d) => d.id).sort()).toEqual(['wi-device-001', 'wi-device-007', 'wi-device-041', 'wi-device-047']);
    });
  });

  it('one statement for a list longer than SQLite binds (32,766), none for an empty one', async () => {
    await inTransaction(async (tx) => {
      const ids = [...Array.from({ length: 40_000 }, (_, i) => `absent-${i}`), 'wi-device-003'];
      const long = await counted(() => findManyIn(tx, 'Device', 'id', ids, { select: ['id'] }));
      expect(long.value).toEqual([{ id: 'wi-device-003' }]);
      expect(long.statements).toBe(1);
      const empty = await counted(() => findManyIn(tx, 'Device', 'id', [], { select: ['id'] }));
      expect(empty).toEqual({ value: [], statements: 0 });
    });
  });
});
