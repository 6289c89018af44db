// Keyset paging for the prismaConnection resolvers. plugin-prisma hands a resolver Prisma's
// cursor arguments (`{cursor: {id}, skip: 1, take: ±(n + 1)}`), and Prisma 7's query compiler
// answers those with a statement that reads every row past the cursor (`LIMIT -1`, the take
// applied in memory) behind subselects and `IS NULL` alternatives no index can seek: a later
// page cost the whole rest of the table. Here the cursor row's order values are read by its
// key (one indexed lookup) and the page is a seek on the order columns (src/domain/keyset.ts).
// The rows come back as Prisma's would (ascending, `|take|` of them) for plugin-prisma to wrap.
import { ValidationError } from '../domain/errors.js';
import { type KeysetOrder, keysetAfter, keysetOrderBy, reversedOrder } from '../domain/keyset.js';
import type { Engine } from '../services/core/index.js';

/** What plugin-prisma passes a connection resolver: the selection plus the paging arguments. */
export interface ConnectionQuery {
  cursor?: Record<string, unknown>;
  take?: number;
  skip?: number;
  [selection: string]: unknown;
}

/** The part of a Prisma model delegate a connection reads with. */
export interface KeysetModel<T> {
  findMany(args: object): Promise<T[]>;
  findUnique(args: object): Promise<unknown>;
}

export interface KeysetPageArgs {
  engine: Engine;
  query: ConnectionQuery;
  where: object;
  /** The connection's order; its last column is unique. */
  order: KeysetOrder;
}

/** SQLite puts NULL first in an ascending order, PostgreSQL last. */
export const nullsFirstAscending = (engine: Engine) => engine === 'sqlite';

/** One page of a connection: Prisma's cursor arguments answered by a keyset seek. */
export async function keysetFindMany<T>(model: KeysetModel<T>, { engine, query, where, order }: KeysetPageArgs): Promise<T[]> {
  const { cursor, take, skip: _skip, ...selection } = query;
  if (!cursor || take === undefined) return model.findMany({ ...query, where, orderBy: keysetOrderBy(order) });
  const anchor = (await model.findUnique({
    where: cursor,
    select: Object.fromEntries(order.map((c) => [c.field, true])),
  })) as Record<string, unknown> | null;
  // plugin-prisma takes `after` for a positive take and `before` for a negative one.
  if (!anchor) throw new ValidationError(take > 0 ? 'after' : 'before', 'the cursor names no row (was it from another list?)');
  const backward = take < 0;
  const seekOrder = backward ? reversedOrder(order) : order;
  const rows: T[] = [];
  for (const segment of keysetAfter(seekOrder, anchor, nullsFirstAscending(engine))) {
    const wanted = Math.abs(take) - rows.length;
    if (wanted <= 0) break;
    rows.push(
      ...(await model.findMany({ ...selection, where: { AND: [where, segment] }, orderBy: keysetOrderBy(seekOrder), take: wanted })),
    );
  }
  return backward ? rows.reverse() : rows;
}
