// After a bulk write the planner sees the tables as they now are (src/db/planner-statistics.ts):
// on PostgreSQL a bulk load, and an import of at least BULK_WRITE_ROWS changes, ANALYZE the
// schema's tables as they finish; smaller writes leave it to autovacuum. SQLite keeps no
// statistics (its plans come from the indexes; test/server/query-plans.test.ts checks them so).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_WRITE_ROWS } from '../../src/db/planner-statistics.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import type { Change } from '../../src/services/core/change-log.js';
import { runImport } from '../../src/services/core/import-session.js';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.destroy());

const ctx = () => ({ db: db.prisma, source: 'import' as const, actor: 'planner-statistics.test' });

/** How many times PostgreSQL has analyzed `table` of this schema by hand (not autovacuum). */
async function analyzeCount(table: string): Promise<number> {
  const rows = await db.prisma.$queryRawUnsafe<Array<{ n: bigint | number }>>(
    `SELECT analyze_count AS n FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = $1`,
    table,
  );
  return Number(rows[0]?.n ?? 0);
}

/** An import that records `n` changes (of a kind no table holds: only the change log is written). */
function importChanges(n: number) {
  const changes: Change[] = Array.from({ length: n }, (_, k) => ({ entityType: 'Probe', entityId: `probe-${k}`, action: 'created' }));
  return runImport(ctx(), {}, async (session) => {
    for (const change of changes) await session.record([change]);
  });
}

describe.runIf(TEST_ENGINE === 'postgresql')('PostgreSQL statistics after bulk writes', () => {
  it('a bulk load analyzes every table of the schema as it finishes', async () => {
    expect(await analyzeCount('Interface')).toBe(0);
    const loaded = await loadInventory(ctx(), generateCluster({ nodes: 64, seed: 3 }), { engine: db.engine });
    expect(loaded.events).toBeGreaterThanOrEqual(BULK_WRITE_ROWS);
    for (const table of ['Interface', 'IpAddress', 'Component', 'Device', 'ChangeEvent']) expect(await analyzeCount(table), table).toBe(1);
    const [interfaces] = await db.prisma.$queryRawUnsafe<Array<{ reltuples: number }>>(
      `SELECT reltuples FROM pg_class WHERE oid = to_regclass('"Interface"')`,
    );
    expect(interfaces?.reltuples).toBeGreaterThan(0);
  });

  it('an import of BULK_WRITE_ROWS changes analyzes; a smaller one leaves it to autovacuum', async () => {
    const before = await analyzeCount('ChangeEvent');
    await importChanges(BULK_WRITE_ROWS - 1);
    expect(await analyzeCount('ChangeEvent')).toBe(before);
    await importChanges(BULK_WRITE_ROWS);
    expect(await analyzeCount('ChangeEvent')).toBe(before + 1);
  });
});

describe.runIf(TEST_ENGINE === 'sqlite')('SQLite after bulk writes', () => {
  it('keeps no statistics', async () => {
    await loadInventory(ctx(), generateCluster({ nodes: 64, seed: 3 }), { engine: db.engine });
    const stat = await db.prisma.$queryRawUnsafe<unknown[]>(`SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'`);
    expect(stat).toEqual([]);
  });
});
