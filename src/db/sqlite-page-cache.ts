// SQLite's page cache while an import runs. A site-sized import is one transaction that writes
// up to a gigabyte; with the connection's usual cache (about 16 MB as better-sqlite3 builds SQLite)
// its dirty pages spill into the WAL long before the commit, and every later read of a spilled
// page searches the WAL index of the transaction's frames, so reads get slower as the import
// goes on: the group memberships written at the end of a 10,000-node cani import took 5.5 s
// for 37 INSERTs (0.5 s with the cache below), and the import's kernel time fell from 17-19 s to
// 11 s. SQLite takes cache pages only as the transaction needs them, so a small import stays
// small; a 10,000-node one peaked ~300 MiB higher. The usual size comes back when the import ends.
import { type Db, engineOf, type Tx } from './client.js';

/** The cache during an import, in KiB (SQLite's negative cache_size). */
export const IMPORT_PAGE_CACHE_KIB = 262_144;

type Restore = (db: Db) => Promise<void>;
const unchanged: Restore = async () => {};

/**
 * Widens the connection's page cache for an import (SQLite only; PostgreSQL's is the server's).
 * Returns what puts the usual size back, to call once the import's transaction has ended.
 */
export async function widenPageCacheForImport(tx: Tx): Promise<Restore> {
  if (engineOf(tx) !== 'sqlite') return unchanged;
  const [row] = await tx.$queryRawUnsafe<Array<{ cache_size: number | bigint }>>('PRAGMA cache_size');
  const usual = Number(row?.cache_size);
  await tx.$executeRawUnsafe(`PRAGMA cache_size = -${IMPORT_PAGE_CACHE_KIB}`);
  return async (db) => {
    await db.$executeRawUnsafe(`PRAGMA cache_size = ${Number.isFinite(usual) ? usual : -2000}`);
  };
}
