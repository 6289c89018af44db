// After a bulk write the planner sees the tables as they now are (src/db/planner-statistics.ts):
// on PostgreSQL a bulk load, and an import of at least BULK_WRITE_ROWS changes, ANALYZE the
// schema's tables as they finish; smaller writes leave it to autovacuum. SQLite keeps no
// statistics (its plans come from the indexes; test/server/query-plans.test.ts checks them so).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/client.js';
import { BULK_WRITE_ROWS, refreshStatisticsWithin } from '../../src/db/planner-statistics.js';
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

/** The plan of a serial-number lookup of `n` new serials (none stored), as an import's batch makes it. */
async function serialLookupPlan(tx: Tx, n: number): Promise<string> {
  const serials = Array.from({ length: n }, (_, k) => `NEW-${k}`);
  const rows = await tx.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
    `EXPLAIN SELECT "id" FROM "Device" WHERE "serialNumber" = ANY($1::text[]) AND "deletedAt" IS NULL`,
    serials,
  );
  // The scan nodes only: the plan's text lists every serial.
  return rows.map((r) => r['QUERY PLAN'].replace(/'\{.*\}'/, "'{…}'")).join('\n');
}

/** `n` devices with serial numbers and some 500 bytes of properties each (as a site's are), written in this transaction. */
async function writeDevices(tx: Tx, n: number): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "Device" ("id", "name", "deviceType", "serialNumber", "properties", "providerMetadata", "externalIds", "updatedAt")
     SELECT 'd-' || k, 'node ' || k, 'Node', 'SN-' || k, jsonb_build_object('notes', repeat('x', 500)), '{}', '{}', now()
     FROM generate_series(1, ${n}) AS k`,
  );
}

describe.runIf(TEST_ENGINE === 'postgresql')('PostgreSQL statistics inside a long import', () => {
  // An import reads every batch's keys back from the tables it is writing (ids, serial
  // numbers: = ANY of up to 2,000 values). Planned without statistics, or at the server's
  // default price of a random read, those were sequential scans of every row written so far.
  const DEVICES = 20_000;
  const LOOKUP = 200;

  // First in this file: the schema has no statistics yet, as a new site's database.
  it('(the same lookup in a plain transaction is a sequential scan: what the import avoids)', async () => {
    let plan = '';
    await db.prisma
      .$transaction(async (tx) => {
        await writeDevices(tx, DEVICES);
        plan = await serialLookupPlan(tx, LOOKUP);
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });
    expect(plan).toContain('Seq Scan on "Device"');
  });

  it('looks up keys through the indexes once it has written BULK_WRITE_ROWS changes', async () => {
    let plan = '';
    await runImport(ctx(), { dryRun: true }, async (session) => {
      await writeDevices(session.tx, DEVICES);
      for (let k = 0; k < BULK_WRITE_ROWS; k++) await session.record([{ entityType: 'Device', entityId: `d-${k}`, action: 'created' }]);
      plan = await serialLookupPlan(session.tx, LOOKUP);
    });
    expect(plan).toContain('Device_serialNumber_idx');
    expect(plan).not.toContain('Seq Scan');
  });

  it('gives up on a table another session holds after the lock wait, and the import goes on', async () => {
    let settings: unknown;
    let seconds = 0;
    await db.prisma.$transaction(
      async (holder) => {
        // What a VACUUM or ANALYZE of another session holds.
        await holder.$executeRawUnsafe('LOCK TABLE "Interface" IN SHARE UPDATE EXCLUSIVE MODE');
        const started = performance.now();
        await runImport(ctx(), { dryRun: true }, async (session) => {
          await refreshStatisticsWithin(session.tx);
          settings = await session.tx.$queryRawUnsafe(`SELECT current_setting('lock_timeout') AS "lock_timeout"`);
        });
        seconds = (performance.now() - started) / 1000;
      },
      { timeout: 30_000 },
    );
    expect(settings).toEqual([{ lock_timeout: '0' }]);
    expect(seconds).toBeGreaterThanOrEqual(1.9);
    expect(seconds).toBeLessThan(20);
  });

  it('puts lock_timeout back and leaves the transaction usable', async () => {
    let settings: Array<{ lock_timeout: string; random_page_cost: string }> = [];
    await runImport(ctx(), { dryRun: true }, async (session) => {
      await refreshStatisticsWithin(session.tx);
      settings = await session.tx.$queryRawUnsafe(
        `SELECT current_setting('lock_timeout') AS "lock_timeout", current_setting('random_page_cost') AS "random_page_cost"`,
      );
    });
    expect(settings).toEqual([{ lock_timeout: '0', random_page_cost: '1.1' }]);
    const [after] = await db.prisma.$queryRawUnsafe<Array<{ random_page_cost: string }>>(
      `SELECT current_setting('random_page_cost') AS "random_page_cost"`,
    );
    expect(after?.random_page_cost).toBe('4');
  });
});

describe.runIf(TEST_ENGINE === 'postgresql')('PostgreSQL statistics after bulk writes', () => {
  it('a bulk load analyzes every table of the schema as it finishes', async () => {
    const tables = ['Interface', 'IpAddress', 'Component', 'Device', 'ChangeEvent'];
    const before = await Promise.all(tables.map(analyzeCount));
    const loaded = await loadInventory(ctx(), generateCluster({ nodes: 64, seed: 3 }), { engine: db.engine });
    expect(loaded.events).toBeGreaterThanOrEqual(BULK_WRITE_ROWS);
    for (const [k, table] of tables.entries()) expect(await analyzeCount(table), table).toBe((before[k] as number) + 1);
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
