// What an import must change on a row: only the fields whose values differ, so re-importing an
// unchanged record writes nothing and logs nothing.
import { sameJson } from '../../codecs/reference/codec.js';

/** The entries of `wanted` that differ from `row` (JSON values compared by content); null when none. */
export function differences<T extends Record<string, unknown>>(row: object, wanted: T): Partial<T> | null {
  const current = row as Record<string, unknown>;
  const changed = Object.entries(wanted).filter(([key, value]) => {
    const now = current[key];
    return value !== null && typeof value === 'object' ? !sameJson(now, value) : (now ?? null) !== (value ?? null);
  });
  return changed.length ? (Object.fromEntries(changed) as Partial<T>) : null;
}

/**
 * Pairs existing rows with wanted items: by the first key that both have, in order of the
 * keys given; rows left over are to go, items left over are to be made.
 */
export function pairUp<R, W>(
  rows: R[],
  wanted: W[],
  keys: Array<{ ofRow: (row: R) => unknown; ofWanted: (item: W) => unknown }>,
): { pairs: Array<{ row: R; item: W; index: number }>; fresh: Array<{ item: W; index: number }>; leftover: R[] } {
  const free = new Set(rows);
  const pairs: Array<{ row: R; item: W; index: number }> = [];
  const unmatched = new Set(wanted.map((_, index) => index));
  for (const key of keys) {
    const byKey = new Map<unknown, R>();
    for (const row of free) {
      const value = key.ofRow(row);
      if (value != null && !byKey.has(value)) byKey.set(value, row);
    }
    for (const index of [...unmatched]) {
      const value = key.ofWanted(wanted[index] as W);
      const row = value == null ? undefined : byKey.get(value);
      if (row === undefined || !free.has(row)) continue;
      free.delete(row);
      unmatched.delete(index);
      pairs.push({ row, item: wanted[index] as W, index });
    }
  }
  return { pairs, fresh: [...unmatched].map((index) => ({ item: wanted[index] as W, index })), leftover: [...free] };
}
