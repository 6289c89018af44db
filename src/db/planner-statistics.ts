// After a bulk write, PostgreSQL's planner still sees the tables as they were: a freshly loaded
// schema has no statistics at all until autovacuum gets to it (up to a minute, later on a busy
// server), and meanwhile it plans as if every table held a few dozen rows. Measured on a
// 10,000-node site loaded by the seed: the NoCloud identity statement hash-joined sequential
// scans of every interface (9.3 ms an address lookup, 12 ms a batch) where, analyzed, it takes
// the indexes (0.12 ms). A site boots its nodes right after importing them, so the bulk writers
// (loadInventory, a large import) refresh the statistics as they finish. SQLite plans from its
// indexes without statistics; nothing is done there.
import { type Db, engineOf } from './client.js';
import type { Engine } from './engine-schema.js';

/** Writes of at least this many rows refresh the statistics (autovacuum's own threshold is 50 + 10% of a table). */
export const BULK_WRITE_ROWS = 1000;

/** After a committed write of `rows` rows: the statistics refreshed when it was a bulk write. */
export async function afterBulkWrite(db: Db, rows: number, engine: Engine = engineOf(db)): Promise<void> {
  if (rows >= BULK_WRITE_ROWS) await refreshPlannerStatistics(db, engine);
}

/**
 * ANALYZE of every table of the client's schema (PostgreSQL); nothing on SQLite. Called after a
 * write has committed, so it never fails it: statistics it could not refresh are autovacuum's.
 */
export async function refreshPlannerStatistics(db: Db, engine: Engine = engineOf(db)): Promise<void> {
  if (engine !== 'postgresql') return;
  try {
    const tables = await db.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS "name" FROM pg_tables WHERE schemaname = current_schema()`,
    );
    if (tables.length) await db.$executeRawUnsafe(`ANALYZE ${tables.map((t) => t.name).join(', ')}`);
  } catch {
    // The write is done; a lost connection or a concurrent DROP only leaves the statistics stale.
  }
}
