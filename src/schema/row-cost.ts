// The cost of a GraphQL field for @pothos/plugin-complexity: about the most rows it can read.
// A field's cost is its own rows plus `multiplier` × the cost of its sub-selection, so a
// nested list multiplies: 500 cabinets × 10 chassis × 10 blades … The estimate assumes full
// pages and a guessed fan-out; it bounds a query before it runs, it does not predict it.
import { type GraphQLField, getNamedType, getNullableType, isLeafType, isListType } from 'graphql';

/** Rows assumed per parent for a list that has no page size (children, interfaces …). */
export const LIST_ROWS = 10;
/** Levels of LIST_ROWS a subtree (`descendants(maxDepth)`) is assumed to span at most. */
export const SUBTREE_LEVELS = 4;

type Cost = { field: number; multiplier: number };

const pageSizeOf = (value: unknown, fallback: number) => (typeof value === 'number' ? Math.max(0, value) : fallback);

export function rowCost(args: Record<string, unknown>, field: GraphQLField<unknown, never>, defaultPageSize: number): Cost {
  // Scalars come with their row: free. `totalCount` is one COUNT, counted by its connection.
  if (isLeafType(getNamedType(field.type))) return { field: 0, multiplier: 1 };
  const list = isListType(getNullableType(field.type));
  const names = new Set(field.args.map((a) => a.name));
  if (names.has('first') || names.has('last')) {
    const rows = pageSizeOf(args.first ?? args.last, defaultPageSize);
    // A connection's rows are its edges' nodes (one each); a paged list counts them itself.
    return list ? { field: rows, multiplier: rows } : { field: 0, multiplier: rows };
  }
  if (list && names.has('maxDepth')) {
    const levels = Math.min(Math.max(1, pageSizeOf(args.maxDepth, SUBTREE_LEVELS)), SUBTREE_LEVELS);
    const rows = LIST_ROWS ** levels;
    return { field: rows, multiplier: rows };
  }
  if (list) return { field: LIST_ROWS, multiplier: LIST_ROWS };
  return { field: 1, multiplier: 1 };
}
