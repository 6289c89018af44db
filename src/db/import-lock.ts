// One import at a time per database, whichever process runs it (gateways, the CLI). An import
// is one long transaction: a second one would wait for the first (SQLite: minutes, then a
// timeout) or interleave its writes with it (PostgreSQL). Both engines take a lock that the
// operating system or the database drops by itself when its holder dies, so a crashed import
// never leaves the lock behind.
//   PostgreSQL: a transaction-level advisory lock, taken as the import transaction's first
//     statement and released by its commit or rollback. Keyed by the schema, since one
//     database may hold several inventories (one per schema).
//   SQLite: an exclusive lock on a small companion database beside the file
//     (`<file>.import-lock`), held by a connection of its own for the whole import. SQLite's
//     file locks hold across processes and across connections of one process alike; the main
//     file's own locks cannot serve, as the import itself writes there.
import type { Db, Tx } from './client.js';

/** The first key of the advisory lock: "INVG", so that other users of advisory locks are not hit. */
const ADVISORY_LOCK_CLASS = 0x494e5647;

/** Takes the PostgreSQL import lock in `tx`; false when another transaction holds it. */
export async function tryPostgresImportLock(tx: Tx): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<Array<{ locked: boolean }>>(
    `SELECT pg_try_advisory_xact_lock(${ADVISORY_LOCK_CLASS}, hashtext(current_schema())) AS locked`,
  );
  return rows[0]?.locked === true;
}

export interface HeldLock {
  release(): Promise<void>;
}

/** The file of the SQLite database `db` is open on ('' for an in-memory one). */
async function sqliteFile(db: Db): Promise<string> {
  const rows = await db.$queryRawUnsafe<Array<{ name: string; file: string }>>('PRAGMA database_list');
  return rows.find((row) => row.name === 'main')?.file ?? '';
}

/** Databases without a file (in memory) are seen by one process only: a set suffices. */
const inMemoryHolders = new WeakSet<Db>();

/** Takes the SQLite import lock of `db`'s file; null when another import holds it. */
export async function trySqliteImportLock(db: Db): Promise<HeldLock | null> {
  const file = await sqliteFile(db);
  if (!file) {
    if (inMemoryHolders.has(db)) return null;
    inMemoryHolders.add(db);
    return { release: async () => void inMemoryHolders.delete(db) };
  }
  // Imported here: a PostgreSQL gateway never loads the SQLite driver.
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  // timeout 0: a lock held elsewhere is SQLITE_BUSY at once, not after the busy timeout.
  const connection = await new PrismaBetterSqlite3({ url: `file:${file}.import-lock`, timeout: 0 }).connect();
  try {
    await connection.executeScript('BEGIN EXCLUSIVE');
  } catch (error) {
    await connection.dispose();
    if (isBusy(error)) return null;
    throw error;
  }
  // Closing the connection ends its transaction and drops the lock (as the process's exit would).
  return { release: () => connection.dispose() };
}

function isBusy(error: unknown): boolean {
  const cause = (error as { cause?: { originalCode?: string; originalMessage?: string } } | null)?.cause;
  return /^SQLITE_(BUSY|LOCKED)/.test(cause?.originalCode ?? '') || /database is locked/.test(cause?.originalMessage ?? '');
}
