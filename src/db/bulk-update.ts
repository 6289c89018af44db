// One UPDATE for many rows of one model, each given its own values for the same columns:
// `SET "c" = CASE "id" WHEN … THEN … END` for each column, guarded by each row's revision
// (optimistic concurrency, as Prisma's `update({ where: { id, revision } })` is). Prisma has
// no such statement: an update per row costs ~0.5 ms on its side alone, so a batch of 500
// links takes 500 statements there and one here. Values are bind parameters; PostgreSQL casts
// come from the Prisma data model, as bulk-insert.ts does for INSERTs.

import { modelInfo, type Row } from './bulk-insert.js';
import { engineOf, type Tx } from './client.js';

/** PostgreSQL's name for a Prisma scalar type, for casting a bind parameter in a CASE branch. */
const PG_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Boolean: 'boolean',
  Json: 'jsonb',
  DateTime: 'timestamp(3)',
};

export interface RowUpdate {
  id: string;
  /** The revision the row must still be at; it is incremented. */
  revision: number;
  /** The new values, by Prisma field name: every update in one call names the same fields. */
  data: Row;
}

/** Bind parameters per statement, within SQLite's limit of 32,766 with room to spare. */
const MAX_PARAMETERS = 30_000;

/**
 * Applies `updates` to rows of `model` (which must have `revision` and may have @updatedAt
 * columns); returns how many rows matched their id and revision: fewer than given means another
 * write got there first. Every update names the same fields (callers group them).
 */
export async function updateRowsById(tx: Tx, model: string, updates: readonly RowUpdate[], now = new Date()): Promise<number> {
  if (updates.length === 0) return 0;
  const { types, kinds, updatedAt } = modelInfo(model);
  const columns = Object.keys(updates[0].data);
  for (const column of columns) if (!types.has(column)) throw new Error(`bulk update: ${model} has no column ${column}`);
  const postgres = engineOf(tx) === 'postgresql';
  const perRow = columns.length * 2 + 2;
  let matched = 0;
  for (let start = 0; start < updates.length; start += Math.floor(MAX_PARAMETERS / perRow)) {
    const chunk = updates.slice(start, start + Math.floor(MAX_PARAMETERS / perRow));
    const values: unknown[] = [];
    const param = (value: unknown, type?: string) => {
      values.push(value);
      return postgres ? `$${values.length}${type ? `::${PG_TYPES[type] ?? 'text'}` : ''}` : '?';
    };
    const sets = columns.map((column) => {
      const type = types.get(column) as string;
      const branches = chunk.map(({ id, data }) => {
        const raw = data[column] ?? null;
        const value = raw !== null && kinds.get(column) === 'Json' ? JSON.stringify(raw) : raw;
        return `WHEN ${param(id)} THEN ${param(value, type)}`;
      });
      return `"${column}" = CASE "id" ${branches.join(' ')} END`;
    });
    sets.push(`"revision" = "revision" + 1`, ...updatedAt.map((column) => `"${column}" = ${param(now, 'DateTime')}`));
    const keys = chunk.map(({ id, revision }) => `(${param(id)}, ${param(revision, 'Int')})`);
    matched += await tx.$executeRawUnsafe(
      `UPDATE "${model}" SET ${sets.join(', ')} WHERE ("id", "revision") IN (VALUES ${keys.join(', ')})`,
      ...values,
    );
  }
  return matched;
}
