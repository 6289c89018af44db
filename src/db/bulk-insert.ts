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

/** Writes rows of one model as multi-row INSERTs; returns the number of statements. */
export async function insertRows(
  tx: Tx,
  engine: Engine,
  model: string,
  rows: readonly Row[],
  now: Date,
  maxParameters = MAX_BIND_PARAMETERS,
  onChunk: (n: number) => void = () => {},
): Promise<number> {
  const { kinds, timestamps } = modelInfo(model);
  let statements = 0;
  for (const group of byColumns(rows, (row) => row)) {
    const given = Object.keys(group[0] as Row);
    for (const column of given) if (!kinds.has(column)) throw new Error(`bulk insert: ${model} has no column ${column}`);
    const filled = timestamps.filter((column) => !given.includes(column));
    const columns = [...given, ...filled];
    const columnKinds = columns.map((column) => kinds.get(column) as FieldKind);
    const columnList = columns.map((column) => `"${column}"`).join(', ');
    for (const chunk of chunks(group, Math.max(1, Math.floor(maxParameters / columns.length)))) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (const row of chunk) {
        const placeholders: string[] = [];
        for (let c = 0; c < columns.length; c += 1) {
          const kind = columnKinds[c];
          const column = columns[c] as string;
          let value = c < given.length ? row[column] : now;
          if (value === undefined) value = null;
          else if (kind === 'Json' && value !== null) value = JSON.stringify(value);
          else if (kind === 'DateTime' && typeof value === 'string') value = new Date(value);
          values.push(value);
          if (engine === 'postgresql') {
            const n = values.length;
            placeholders.push(kind === 'Json' ? `$${n}::jsonb` : kind === 'DateTime' ? `$${n}::timestamp(3)` : `$${n}`);
          } else {
            placeholders.push('?');
          }
        }
        tuples.push(`(${placeholders.join(', ')})`);
      }
      await tx.$executeRawUnsafe(`INSERT INTO "${model}" (${columnList}) VALUES ${tuples.join(', ')}`, ...values);
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
