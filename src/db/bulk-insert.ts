// Multi-row INSERTs straight from rows keyed by Prisma field names, for writes of thousands
// of rows in one transaction: Prisma's createMany spends about 0.45 ms a row on its own side.
// Every value is a bind parameter; column types come from the Prisma datamodel.
import { randomUUID } from 'node:crypto';
import { groupBy } from '../domain/group-by.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { engineOf, type Tx } from './client.js';
import type { Engine } from './engine-schema.js';
import { rowsAsWritten } from './written-rows.js';

/** SQLite's bound-variable limit; PostgreSQL allows 65,535. */
export const MAX_BIND_PARAMETERS = 32_766;

export type Row = Record<string, unknown>;
type FieldKind = 'Json' | 'DateTime' | 'Boolean' | 'other';

export interface ModelInfo {
  kinds: Map<string, FieldKind>;
  /** Each scalar column's Prisma type ("String", "Int", "Json" …). */
  types: Map<string, string>;
  /** DateTime columns Prisma fills on create (@default(now()) and @updatedAt). */
  timestamps: string[];
  /** DateTime columns Prisma sets on every update (@updatedAt). */
  updatedAt: string[];
}

let modelInfoCache: Map<string, ModelInfo> | undefined;

export function modelInfo(model: string): ModelInfo {
  modelInfoCache ??= new Map(
    Object.entries(getDatamodel().datamodel.models).map(([name, m]) => {
      const scalars = m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
      const kinds = new Map<string, FieldKind>(
        scalars.map((f) => [f.name, f.type === 'Json' || f.type === 'DateTime' || f.type === 'Boolean' ? f.type : 'other']),
      );
      const timestamps = scalars
        .filter((f) => f.type === 'DateTime' && (f.isUpdatedAt || (f.hasDefaultValue && f.isRequired)))
        .map((f) => f.name);
      const types = new Map(scalars.map((f) => [f.name, f.type]));
      const updatedAt = scalars.filter((f) => f.isUpdatedAt).map((f) => f.name);
      return [name, { kinds, types, timestamps, updatedAt }];
    }),
  );
  const info = modelInfoCache.get(model);
  if (!info) throw new Error(`bulk insert: unknown model ${model}`);
  return info;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Items grouped by the columns their row names, so that one statement names the same columns for each. */
export function byColumns<T>(items: readonly T[], rowOf: (item: T) => Row): T[][] {
  return [...groupBy(items, (item) => Object.keys(rowOf(item)).sort().join('\u0000')).values()];
}

/** PostgreSQL's array type for a column of each Prisma scalar type (the migrations' column types). */
const PG_ARRAY_TYPES: Record<string, string> = {
  String: 'text[]',
  Int: 'integer[]',
  BigInt: 'bigint[]',
  Float: 'double precision[]',
  Boolean: 'boolean[]',
  DateTime: 'timestamp(3)[]',
  Json: 'jsonb[]',
};

/** A Json column's value already written as JSON text: bound as it is, not stringified again. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** A value as the INSERT binds it: Json as its text, DateTime strings as dates, absent as NULL. */
function bound(value: unknown, kind: FieldKind): unknown {
  if (value === undefined || value === null) return null;
  if (kind === 'Json') return value instanceof JsonText ? value.text : JSON.stringify(value);
  if (kind === 'DateTime' && typeof value === 'string') return new Date(value);
  return value;
}

/**
 * Writes rows of one model in statements of at most `maxParameters / columns` rows; returns the
 * number of statements. SQLite gets a multi-row VALUES list. PostgreSQL gets one array per
 * column, `INSERT … SELECT * FROM unnest($1::text[], …)`: a short statement whose parse and
 * bind do not grow with the rows (thousands of scalar parameters cost more to bind than to insert).
 */
export async function insertRows(
  tx: Tx,
  engine: Engine,
  model: string,
  rows: readonly Row[],
  now: Date,
  maxParameters = MAX_BIND_PARAMETERS,
  onChunk: (n: number) => void = () => {},
): Promise<number> {
  const { kinds, types, timestamps } = modelInfo(model);
  let statements = 0;
  for (const group of byColumns(rows, (row) => row)) {
    const given = Object.keys(group[0] as Row);
    for (const column of given) if (!kinds.has(column)) throw new Error(`bulk insert: ${model} has no column ${column}`);
    const filled = timestamps.filter((column) => !given.includes(column));
    const columns = [...given, ...filled];
    const columnKinds = columns.map((column) => kinds.get(column) as FieldKind);
    const columnList = columns.map((column) => `"${column}"`).join(', ');
    const valueAt = (row: Row, c: number) => (c < given.length ? bound(row[columns[c] as string], columnKinds[c] as FieldKind) : now);
    const arrays =
      engine === 'postgresql'
        ? columns.map((column, c) => {
            const type = PG_ARRAY_TYPES[types.get(column) as string];
            if (!type) throw new Error(`bulk insert: no PostgreSQL type for ${model}.${column}`);
            return `$${c + 1}::${type}`;
          })
        : [];
    for (const chunk of chunks(group, Math.max(1, Math.floor(maxParameters / columns.length)))) {
      if (engine === 'postgresql') {
        const values = columns.map((_, c) => chunk.map((row) => valueAt(row, c)));
        await tx.$executeRawUnsafe(`INSERT INTO "${model}" (${columnList}) SELECT * FROM unnest(${arrays.join(', ')})`, ...values);
      } else {
        const values = chunk.flatMap((row) => columns.map((_, c) => valueAt(row, c)));
        const tuple = `(${columns.map(() => '?').join(', ')})`;
        await tx.$executeRawUnsafe(`INSERT INTO "${model}" (${columnList}) VALUES ${chunk.map(() => tuple).join(', ')}`, ...values);
      }
      statements += 1;
      onChunk(chunk.length);
    }
  }
  return statements;
}

/** Below this many rows Prisma's own createManyAndReturn is as quick. */
export const BULK_THRESHOLD = 64;

type Delegate = {
  createManyAndReturn(args: { data: Row[]; omit?: object }): Promise<Row[]>;
  findMany(args: { where: { id: { in: string[] } }; omit?: object }): Promise<Row[]>;
};

/**
 * createManyAndReturn for any number of rows: large batches are written with multi-row
 * INSERTs and returned as written (written-rows.ts), or, for a table with a default only the
 * database can evaluate, read back in one query per 30,000 rows. Rows come back in input order.
 */
export async function createManyReturning<T extends { id: string }>(tx: Tx, model: string, data: Row[], omit?: object): Promise<T[]> {
  const delegate = (tx as unknown as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)];
  if (data.length < BULK_THRESHOLD) return (await delegate.createManyAndReturn({ data, ...(omit ? { omit } : {}) })) as T[];
  const rows = data.map((row) => (row.id ? row : { id: randomUUID(), ...row }));
  const now = new Date();
  await insertRows(tx, engineOf(tx), model, rows, now);
  const written = await rowsAsWritten<T>(tx, model, rows, now, omit);
  if (written) return written;
  const ids = rows.map((row) => row.id as string);
  const byId = new Map<string, T>();
  for (const chunk of chunks(ids, 30_000)) {
    for (const row of await delegate.findMany({ where: { id: { in: chunk } }, ...(omit ? { omit } : {}) }))
      byId.set(row.id as string, row as T);
  }
  return ids.map((id) => byId.get(id) as T);
}
