// One UPDATE for many rows of one model, each given its own values for the same columns, guarded
// by each row's revision (optimistic concurrency, as Prisma's `update({ where: { id, revision } })`
// is). Prisma has no such statement: an update per row costs ~0.5 ms on its side alone, so a
// batch of 500 links takes 500 statements there and one here. The rows travel as ONE JSON
// parameter, joined by id (`UPDATE … FROM json_each(?)` on SQLite, `jsonb_to_recordset($1)` on
// PostgreSQL): a `CASE "id" WHEN … THEN …` per column, with two bind parameters a row, was
// quadratic on SQLite (each row walks the WHENs: 616 ms for 13 statements of a 1,000-node cani
// import) and paid Prisma's per-parameter mapping on thousands of values.

import { byColumns, modelInfo, type Row } from './bulk-insert.js';
import { engineOf, type Tx } from './client.js';

/** PostgreSQL's name for a Prisma scalar type, for a jsonb_to_recordset column. */
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
  /** The new values, by Prisma field name (updates naming the same fields share a statement). */
  data: Row;
}

/** Rows per statement: a bounded parameter, whatever the row count. */
const MAX_ROWS = 5_000;

/** A DateTime as each engine stores it: SQLite as Prisma's adapter writes it (ISO, "+00:00"). */
const dateTime = (value: Date, postgres: boolean) => (postgres ? value.toISOString() : value.toISOString().replace('Z', '+00:00'));

/** A value as the JSON parameter carries it: Json columns as their text on SQLite, BigInts as decimal text. */
function jsonValue(value: unknown, kind: string | undefined, postgres: boolean): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return dateTime(value, postgres);
  if (typeof value === 'bigint') return value.toString();
  if (kind === 'Json' && !postgres) return JSON.stringify(value);
  return value;
}

/**
 * Applies `updates` to rows of `model` (which must have `revision` and may have @updatedAt
 * columns), one statement per set of fields named (and per MAX_ROWS rows); returns how many rows
 * matched their id and revision: fewer than given means another write got there first. Ids are
 * distinct.
 */
export async function updateRowsById(tx: Tx, model: string, updates: readonly RowUpdate[], now = new Date()): Promise<number> {
  let matched = 0;
  for (const group of byColumns(updates, (update) => update.data)) matched += await updateSameColumns(tx, model, group, now);
  return matched;
}

/** updateRowsById for updates that all name the same fields. */
async function updateSameColumns(tx: Tx, model: string, updates: readonly RowUpdate[], now: Date): Promise<number> {
  const { types, kinds, updatedAt } = modelInfo(model);
  const columns = Object.keys(updates[0].data);
  for (const column of columns) if (!types.has(column)) throw new Error(`bulk update: ${model} has no column ${column}`);
  const postgres = engineOf(tx) === 'postgresql';
  // Bind parameters in the order the text names them: the time (if any), then the rows.
  const hasTime = updatedAt.length > 0;
  const [timeParam, rowsParam] = postgres ? ['$1::timestamp(3)', hasTime ? '$2::jsonb' : '$1::jsonb'] : ['?', '?'];
  const sets = [
    ...columns.map((column) => `"${column}" = v."${column}"`),
    `"revision" = t."revision" + 1`,
    ...updatedAt.map((column) => `"${column}" = ${timeParam}`),
  ].join(', ');
  const rowsSql = postgres
    ? `jsonb_to_recordset(${rowsParam}) AS v("id" text, "revision" integer${columns.map((c) => `, "${c}" ${PG_TYPES[types.get(c) as string] ?? 'text'}`).join('')})`
    : `(SELECT value ->> 'id' AS "id", value ->> 'revision' AS "revision"${columns.map((c) => `, value ->> '${c}' AS "${c}"`).join('')} FROM json_each(${rowsParam})) AS v`;
  const sql = `UPDATE "${model}" AS t SET ${sets} FROM ${rowsSql} WHERE t."id" = v."id" AND t."revision" = v."revision"`;
  let matched = 0;
  for (let start = 0; start < updates.length; start += MAX_ROWS) {
    const rows = updates.slice(start, start + MAX_ROWS).map(({ id, revision, data }) => {
      const row: Row = { id, revision };
      for (const column of columns) row[column] = jsonValue(data[column], kinds.get(column), postgres);
      return row;
    });
    const params = hasTime ? [dateTime(now, postgres), JSON.stringify(rows)] : [JSON.stringify(rows)];
    matched += await tx.$executeRawUnsafe(sql, ...params);
  }
  return matched;
}
