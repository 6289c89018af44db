// Keyset ("seek") paging: the rows after a given row in an order whose last column is unique,
// as Prisma-shaped `where`s that an index on the order columns seeks to exactly. Pure.
//
// "After (v1, v2)" is read as segments, one statement each until the page is full:
// `c1 = v1 AND c2 > v2`, then `c1 > v1`. Neither the single-predicate forms
// `c1 > v1 OR (c1 = v1 AND c2 > v2)` (an OR: both engines scan from the first row) nor
// `c1 >= v1 AND (c1 > v1 OR c2 > v2)` (scans every tie of v1: a bulk load gives thousands of
// rows the same createdAt) keep a page's cost independent of its position; Prisma cannot say
// the row value `(c1, c2) > (v1, v2)` that would.
//
// A nullable first column adds its NULLs as a segment of their own, first or last depending on
// the engine (SQLite sorts NULL first ascending, PostgreSQL last).

export interface KeysetColumn {
  field: string;
  desc?: boolean;
  /** Only the first column may be nullable; the last must be unique and never null. */
  nullable?: boolean;
}

export type KeysetOrder = readonly KeysetColumn[];
export type KeysetValues = Record<string, unknown>;
type Where = Record<string, unknown>;

/** Prisma's orderBy for the order, or for its reverse. */
export function keysetOrderBy(order: KeysetOrder, reverse = false): Array<Record<string, 'asc' | 'desc'>> {
  return order.map((c) => ({ [c.field]: !!c.desc !== reverse ? 'desc' : 'asc' }));
}

/** `order` read backwards: what "before a row" is in terms of "after". */
export function reversedOrder(order: KeysetOrder): KeysetColumn[] {
  return order.map((c) => ({ ...c, desc: !c.desc }));
}

/** `c1 = v1 AND … AND c(i-1) = v(i-1) AND ci > vi` for i from the last column to `from`. */
function tiesThenGreater(order: KeysetOrder, values: KeysetValues, from: number, prefix: Where): Where[] {
  const segments: Where[] = [];
  for (let i = order.length - 1; i >= from; i -= 1) {
    const where: Where = { ...prefix };
    for (let j = from; j < i; j += 1) {
      const tie = order[j] as KeysetColumn;
      where[tie.field] = values[tie.field];
    }
    const column = order[i] as KeysetColumn;
    where[column.field] = { [column.desc ? 'lt' : 'gt']: values[column.field] };
    segments.push(where);
  }
  return segments;
}

/**
 * The rows strictly after the row with `values`, in `order`, as segments to read one after the
 * other until the page is full. `nullsFirstAscending` is the engine's placement of NULL in an
 * ascending order.
 */
export function keysetAfter(order: KeysetOrder, values: KeysetValues, nullsFirstAscending: boolean): Where[] {
  if (order.length === 0) throw new Error('keysetAfter: an empty order');
  for (const c of order.slice(1)) if (c.nullable) throw new Error(`keysetAfter: only the first column may be nullable (${c.field})`);
  const [first] = order as [KeysetColumn];
  if (!first.nullable) return tiesThenGreater(order, values, 0, {});
  const nullsFirst = nullsFirstAscending !== !!first.desc;
  if (values[first.field] === null || values[first.field] === undefined) {
    const inNulls = tiesThenGreater(order, values, 1, { [first.field]: null });
    // `not: null` is IS NOT NULL: the whole non-NULL segment, from its start.
    return nullsFirst ? [...inNulls, { [first.field]: { not: null } }] : inNulls;
  }
  // Equality and comparison with a value never match NULL.
  const inValues = tiesThenGreater(order, values, 0, {});
  return nullsFirst ? inValues : [...inValues, { [first.field]: null }];
}
