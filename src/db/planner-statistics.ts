// After a bulk write, PostgreSQL's planner still sees the tables as they were: a freshly loaded
// schema has no statistics at all until autovacuum gets to it (up to a minute, later on a busy
// server), and meanwhile it plans as if every table held a few dozen rows. Measured on a
// 10,000-node site loaded by the seed: the NoCloud identity statement hash-joined sequential
// scans of every interface (9.3 ms an address lookup, 12 ms a batch) where, analyzed, it takes
// the indexes (0.12 ms). A site boots its nodes right after importing them, so the bulk writers
// (loadInventory, a large import) refresh the statistics as they finish. SQLite plans from its
// indexes without statistics; nothing is done there.
import { type Db, engineOf, type Tx } from './client.js';
import type { Engine } from './engine-schema.js';

/** Writes of at least this many rows refresh the statistics (autovacuum's own threshold is 50 + 10% of a table). */
export const BULK_WRITE_ROWS = 1000;

/** After a committed write of `rows` rows: the statistics refreshed when it was a bulk write. */
export async function afterBulkWrite(db: Db, rows: number, engine: Engine = engineOf(db)): Promise<void> {
  if (rows >= BULK_WRITE_ROWS) await refreshPlannerStatistics(db, engine);
}

/** The tables of the client's schema (PostgreSQL), quoted, but those named in `except`. */
async function schemaTables(db: Db | Tx, except: readonly string[] = []): Promise<string[]> {
  const tables = await db.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS "name" FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ALL($1::text[])`,
    except,
  );
  return tables.map((t) => t.name);
}

/**
 * ANALYZE of every table of the client's schema (PostgreSQL); nothing on SQLite. Called after a
 * write has committed, so it never fails it: statistics it could not refresh are autovacuum's.
 */
export async function refreshPlannerStatistics(db: Db, engine: Engine = engineOf(db)): Promise<void> {
  if (engine !== 'postgresql') return;
  try {
    const tables = await schemaTables(db);
    if (tables.length) await db.$executeRawUnsafe(`ANALYZE ${tables.join(', ')}`);
  } catch {
    // The write is done; a lost connection or a concurrent DROP only leaves the statistics stale.
  }
}

/**
 * Inside a long bulk write's transaction (PostgreSQL): ANALYZE sees the rows this transaction
 * wrote, and the planner of this transaction plans with them. Without it, the key lookups a batch
 * makes (ids, serial numbers: `= ANY($1)`) are planned against a table with no statistics, as
 * sequential scans of every row written so far. It waits at most LOCK_WAIT for a table another
 * session is vacuuming (autovacuum yields after deadlock_timeout), and never fails the write:
 * a savepoint takes back what it could not do.
 */
export async function refreshStatisticsWithin(tx: Tx): Promise<void> {
  if (engineOf(tx) !== 'postgresql') return;
  // Not the change log: bulk writers only append to it and never read it back by key, and as
  // the largest table it would cost an ANALYZE the most.
  const tables = await schemaTables(tx, ['ChangeEvent']);
  if (tables.length === 0) return;
  await tx.$executeRawUnsafe('SAVEPOINT refresh_statistics');
  try {
    const [{ previous }] = await tx.$queryRawUnsafe<Array<{ previous: string }>>(
      `SELECT current_setting('lock_timeout') AS "previous", set_config('lock_timeout', '${LOCK_WAIT}', true)`,
    );
    await tx.$executeRawUnsafe(`ANALYZE ${tables.join(', ')}`);
    await tx.$queryRawUnsafe(`SELECT set_config('lock_timeout', $1, true)`, previous);
    await tx.$executeRawUnsafe('RELEASE SAVEPOINT refresh_statistics');
  } catch {
    await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT refresh_statistics');
  }
}

/** Longer than PostgreSQL's default deadlock_timeout (1 s), after which autovacuum gives way. */
const LOCK_WAIT = '2s';

/**
 * For the rest of a bulk write's transaction (PostgreSQL): random page reads priced as cached
 * ones. An import looks up every batch's keys (`= ANY($1)` of a batch's ids or serial numbers)
 * in the tables it is writing, whose pages it has just written. At the default price (4), a
 * list of 2,000 serials is planned as a sequential scan of every device: 23 ms a statement
 * against 7 ms through the index, measured in a 10,000-node import. 1.1 is the usual setting
 * for data in memory or on SSDs; the server's own setting is left alone for every other session.
 */
export async function priceReadsAsCachedWithin(tx: Tx): Promise<void> {
  if (engineOf(tx) === 'postgresql') await tx.$executeRawUnsafe('SET LOCAL random_page_cost = 1.1');
}
