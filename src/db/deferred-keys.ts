// A device's parent key checked when the transaction ends rather than at each statement, for a
// writer that must write a child before its parent (a cani import reads devices in UUID order)
// and checks the link itself once the parent is written. PostgreSQL defers that one key (made
// DEFERRABLE by a migration; every other transaction still checks it at once); SQLite can only
// defer every key of the transaction, until it ends.
//
// The transaction's owner looks for a dangling parent before it commits (danglingParent): a
// SQLite COMMIT refused for a deferred key leaves the transaction open on the connection, where
// the next transaction would find it, so the check must fail the work, which rolls back.
import { engineOf, type Tx } from './client.js';

const deferring = new WeakSet<Tx>();

export async function deferDeviceParentKey(tx: Tx): Promise<void> {
  if (deferring.has(tx)) return;
  await tx.$executeRawUnsafe(
    engineOf(tx) === 'sqlite' ? 'PRAGMA defer_foreign_keys = ON' : 'SET CONSTRAINTS "Device_parentId_fkey" DEFERRED',
  );
  deferring.add(tx);
}

/** A device whose parent does not exist, if this transaction deferred the key (one scan of Device, once). */
export async function danglingParent(tx: Tx): Promise<{ id: string; parentId: string } | undefined> {
  if (!deferring.has(tx)) return undefined;
  deferring.delete(tx);
  const q = engineOf(tx) === 'sqlite' ? (name: string) => name : (name: string) => `"${name}"`;
  const [row] = await tx.$queryRawUnsafe<Array<{ id: string; parentId: string }>>(
    `SELECT d.id, d.${q('parentId')} AS ${q('parentId')} FROM ${q('Device')} d
     WHERE d.${q('parentId')} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${q('Device')} p WHERE p.id = d.${q('parentId')}) LIMIT 1`,
  );
  return row;
}
