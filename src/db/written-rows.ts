// The rows a multi-row INSERT (bulk-insert.ts) wrote, as Prisma would read them back, without
// reading them: each given value in its column's type, each column not given at the default the
// database declares for it (column-defaults.ts). Reading 2,000 devices back cost Prisma ~50 ms,
// and an import of a 10,000-node site wrote 130,000 of them.
import { plainJson } from '../domain/plain-json.js';
import { modelInfo, type Row } from './bulk-insert.js';
import type { Tx } from './client.js';
import { columnDefaults, NOW, UNKNOWN } from './column-defaults.js';

/** A value in the type Prisma reads its column back as. */
function asRead(type: string, value: unknown): unknown {
  if (value === null) return null;
  switch (type) {
    case 'BigInt':
      return typeof value === 'bigint' ? value : BigInt(value as number | string);
    case 'DateTime':
      return new Date(value as string | Date);
    case 'Json':
      return plainJson(value) ?? null;
    case 'Boolean':
      return value === true || value === 1;
    default:
      return value;
  }
}

/**
 * The rows insertRows wrote for `rows` (filling its timestamps with `now`), each as Prisma reads
 * it back, without the `omit` fields; undefined when the table has a default this cannot know.
 */
export async function rowsAsWritten<T>(tx: Tx, model: string, rows: readonly Row[], now: Date, omit?: object): Promise<T[] | undefined> {
  const defaults = await columnDefaults(tx, model);
  if (!defaults) return undefined;
  const { types, timestamps } = modelInfo(model);
  const omitted = new Set(Object.entries(omit ?? {}).flatMap(([field, yes]) => (yes ? [field] : [])));
  const columns = [...types].filter(([column]) => !omitted.has(column));
  const written: T[] = [];
  for (const row of rows) {
    const out: Row = {};
    for (const [column, type] of columns) {
      let value: unknown;
      if (column in row) value = row[column] ?? null;
      else if (timestamps.includes(column)) value = now;
      else {
        const declared = defaults.get(column) ?? null;
        if (declared === NOW || declared === UNKNOWN) return undefined;
        // A Json column's default is JSON text.
        value = type === 'Json' && typeof declared === 'string' ? JSON.parse(declared) : declared;
      }
      out[column] = asRead(type, value);
    }
    written.push(out as T);
  }
  return written;
}

/**
 * The row updateRowsById (bulk-update.ts) left after giving `before` the values of `data` at
 * `now`, as Prisma reads it back: the revision one up, the @updatedAt columns at `now`.
 */
export function rowAsUpdated<T extends object>(model: string, before: T, data: Row, now: Date): T {
  const { types, updatedAt } = modelInfo(model);
  const after: Row = { ...(before as Row) };
  for (const [column, value] of Object.entries(data)) after[column] = asRead(types.get(column) ?? 'String', value ?? null);
  after.revision = (before as { revision: number }).revision + 1;
  for (const column of updatedAt) after[column] = new Date(now);
  return after as T;
}
