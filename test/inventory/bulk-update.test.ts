// updateRowsById (src/db/bulk-update.ts): many rows, each its own values, in one statement
// whose rows travel as one JSON parameter. What Prisma reads back must be what a per-row
// Prisma update would have written, for every column type the models use; a stale revision
// is skipped and counted out. rowAsUpdated (src/db/written-rows.ts) must give those rows without reading them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateRowsById } from '../../src/db/bulk-update.js';
import type { Tx } from '../../src/db/client.js';
import { rowAsUpdated } from '../../src/db/written-rows.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { inTransaction as inBoundTransaction } from '../support/transaction.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.destroy());

const scope = { statements: 0 };
const inTransaction = <T>(work: (tx: Tx) => Promise<T>) => inBoundTransaction(db, work, scope);

const blank = { properties: {}, providerMetadata: {}, externalIds: {} };

async function devices(count: number, prefix: string) {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  await db.prisma.device.createMany({ data: ids.map((id) => ({ id, name: id, deviceType: 'Node', ...blank })) });
  return ids;
}

describe('updateRowsById', () => {
  it('writes every column type as Prisma would, bumps the revision and updatedAt, one statement', async () => {
    const [a, b] = await devices(2, 'types');
    const before = await db.prisma.device.findMany({ where: { id: { in: [a as string, b as string] } }, orderBy: { id: 'asc' } });
    const now = new Date('2026-12-05T01:02:03.456Z');
    const deletedAt = new Date('2026-01-02T03:04:05.678Z');
    const data = (name: string | null, n: number) => ({
      name,
      rackPosition: n,
      live: n % 2 === 0 ? null : true,
      deletedAt: n % 2 === 0 ? deletedAt : null,
      properties: { quote: `"it's" ${n}`, unicode: 'Käse ✓', nested: [1, { two: null }] },
      fruInfo: n % 2 === 0 ? null : { Model: 'X', Count: n },
    });
    const matched = await inTransaction((tx) =>
      updateRowsById(
        tx,
        'Device',
        [
          { id: a as string, revision: 1, data: data("a 'quoted' name", 2) },
          { id: b as string, revision: 1, data: data(null, 3) },
        ],
        now,
      ),
    );
    expect(matched).toBe(2);
    expect(scope.statements).toBe(1);
    const rows = await db.prisma.device.findMany({ where: { id: { in: [a as string, b as string] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => ({ ...r, createdAt: undefined }))).toMatchObject([
      { id: a, revision: 2, updatedAt: now, ...data("a 'quoted' name", 2) },
      { id: b, revision: 2, updatedAt: now, ...data(null, 3) },
    ]);
    // What a caller returns without reading the rows again (updateDevicesIn) is what was written.
    expect(rowAsUpdated('Device', before[0], data("a 'quoted' name", 2), now)).toStrictEqual(rows[0]);
    expect(rowAsUpdated('Device', before[1], data(null, 3), now)).toStrictEqual(rows[1]);
  });

  it('skips a row whose revision moved on, and says so by the count', async () => {
    const [fresh, stale] = await devices(2, 'stale');
    await db.prisma.device.update({ where: { id: stale }, data: { revision: 5 } });
    const matched = await inTransaction((tx) =>
      updateRowsById(tx, 'Device', [
        { id: fresh as string, revision: 1, data: { description: 'new' } },
        { id: stale as string, revision: 1, data: { description: 'new' } },
      ]),
    );
    expect(matched).toBe(1);
    const rows = await db.prisma.device.findMany({ where: { id: { in: [fresh as string, stale as string] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.id, r.description, r.revision])).toEqual([
      [fresh, 'new', 2],
      [stale, null, 5],
    ]);
  });

  it('takes thousands of rows in one call', async () => {
    const ids = await devices(6_000, 'many');
    const matched = await inTransaction((tx) =>
      updateRowsById(
        tx,
        'Device',
        ids.map((id, i) => ({ id, revision: 1, data: { rackPosition: i } })),
      ),
    );
    expect(matched).toBe(6_000);
    expect(scope.statements, 'rows per statement are bounded').toBe(2);
    const sum = await db.prisma.device.aggregate({ where: { id: { startsWith: 'many-' } }, _sum: { rackPosition: true } });
    expect(sum._sum.rackPosition).toBe((5_999 * 6_000) / 2);
  });
});
