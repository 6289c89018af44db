// Rows picked by a long list of keys, the list bound as ONE parameter: SQLite reads it with
// json_each(?), PostgreSQL compares with = ANY($1). Prisma's findMany binds every value as a
// parameter of its own and builds its query value by value: for 2,000 ids of a 130,000-device
// store a statement took 9–15 ms against 3.5–6.5 ms this way on SQLite, and 16–18 ms against
// 8–10 ms on PostgreSQL, where the text no longer depends on the list's length either, so it is prepared
// once (bulk imports read every batch's targets and rows this way). Rows come back in Prisma's
// types: a raw query maps each column by its declared type as a model query does (a test holds
// the two equal for every column type).
import type { Prisma } from '../generated/sqlite/client.js';
import { modelInfo } from './bulk-insert.js';
import { engineOf, type Tx } from './client.js';

type Models = Prisma.TypeMap['model'];
/** A model's columns, in the types Prisma reads them as. */
export type Columns<M extends Prisma.ModelName> = Models[M]['payload']['scalars'];

export interface WhereInOptions<K> {
  /** The columns to read (default: every column of the model, as findMany reads them). */
  select?: readonly K[];
  /** Only rows not soft-deleted (`deletedAt IS NULL`). */
  live?: boolean;
}

/**
 * The rows of `model` whose `column` (a text column) is one of `values`, in the database's
 * order. No statement for an empty list.
 */
export async function findManyIn<M extends Prisma.ModelName, K extends keyof Columns<M> & string>(
  tx: Tx,
  model: M,
  column: keyof Columns<M> & string,
  values: readonly string[],
  options: WhereInOptions<K> & { select: readonly K[] },
): Promise<Array<Pick<Columns<M>, K>>>;
export async function findManyIn<M extends Prisma.ModelName>(
  tx: Tx,
  model: M,
  column: keyof Columns<M> & string,
  values: readonly string[],
  options?: WhereInOptions<never>,
): Promise<Array<Columns<M>>>;
export async function findManyIn(
  tx: Tx,
  model: Prisma.ModelName,
  column: string,
  values: readonly string[],
  options: WhereInOptions<string> = {},
): Promise<unknown[]> {
  if (values.length === 0) return [];
  const columns = (options.select ?? [...modelInfo(model).types.keys()]).map((name) => `"${name}"`).join(', ');
  const live = options.live ? ` AND "deletedAt" IS NULL` : '';
  if (engineOf(tx) === 'postgresql')
    return tx.$queryRawUnsafe(`SELECT ${columns} FROM "${model}" WHERE "${column}" = ANY($1::text[])${live}`, values);
  return tx.$queryRawUnsafe(
    `SELECT ${columns} FROM "${model}" WHERE "${column}" IN (SELECT value FROM json_each(?))${live}`,
    JSON.stringify(values),
  );
}
