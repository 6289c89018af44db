// A device's parent key checked when the transaction ends rather than at each statement, for a
// writer that must write a child before its parent (a cani import reads devices in UUID order)
// and checks the link itself once the parent is written. PostgreSQL defers that one key (made
// DEFERRABLE by a migration; every other transaction still checks it at once); SQLite can only
// defer every key of the transaction, until it ends.
//
// The transaction's owner looks for a broken key before it commits (danglingKey): a SQLite
// COMMIT refused for a deferred key leaves the transaction open on the connection, where the
// next transaction would find it, so the check must fail the work, which rolls back.
import { engineOf, type Tx } from './client.js';

const deferring = new WeakSet<Tx>();

export async function deferDeviceParentKey(tx: Tx): Promise<void> {
  if (deferring.has(tx)) return;
  await tx.$executeRawUnsafe(
    engineOf(tx) === 'sqlite' ? 'PRAGMA defer_foreign_keys = ON' : 'SET CONSTRAINTS "Device_parentId_fkey" DEFERRED',
  );
  deferring.add(tx);
}

/** A row naming a row that does not exist: its table, the key column, the table it refers to and the value. */
export interface DanglingKey {
  table: string;
  column: string;
  references: string;
  value: string;
}

/**
 * A key this transaction deferred that a row breaks, if it deferred any (checked once). SQLite
 * deferred every key, so every key is checked (PRAGMA foreign_key_check: 0.3 s on a 10,000-node
 * site); PostgreSQL deferred only the device's parent key.
 */
export async function danglingKey(tx: Tx): Promise<DanglingKey | undefined> {
  if (!deferring.has(tx)) return undefined;
  deferring.delete(tx);
  if (engineOf(tx) !== 'sqlite') {
    const [row] = await tx.$queryRawUnsafe<Array<{ value: string }>>(
      `SELECT d."parentId" AS value FROM "Device" d
       WHERE d."parentId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Device" p WHERE p.id = d."parentId") LIMIT 1`,
    );
    return row && { table: 'Device', column: 'parentId', references: 'Device', value: row.value };
  }
  const [broken] =
    await tx.$queryRawUnsafe<Array<{ table: string; rowid: number | bigint; parent: string; fkid: number | bigint }>>(
      'PRAGMA foreign_key_check',
    );
  if (!broken) return undefined;
  const keys = await tx.$queryRawUnsafe<Array<{ id: number | bigint; from: string }>>(`PRAGMA foreign_key_list("${broken.table}")`);
  const column = keys.find((k) => Number(k.id) === Number(broken.fkid))?.from ?? '?';
  const [row] = await tx.$queryRawUnsafe<Array<{ value: unknown }>>(
    `SELECT "${column}" AS value FROM "${broken.table}" WHERE rowid = ?`,
    broken.rowid,
  );
  return { table: broken.table, column, references: broken.parent, value: String(row?.value) };
}
