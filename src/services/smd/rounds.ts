// How a bulk sync writer keeps the meaning of writing its items one at a time, in order, while
// writing them set-based. Each item names the keys it reads or writes (its xname, the NID it
// takes or gives up, the device it installs, ...). The items that share no key with any earlier
// item are independent of everything before them, so they are written together now, against
// one read of the store; the others wait for a later pass, which reads the store again after
// this one's writes. A batch without repeats (what an export holds) takes one pass; an item
// repeated n times takes n passes, as if written one by one.

export interface Indexed<T> {
  /** The item's position in the caller's list: its results go there. */
  index: number;
  item: T;
}

/** Splits `pending` (in order) into the items written now and those left for a later pass. */
export function firstRound<T>(pending: readonly T[], keysOf: (item: T) => Iterable<string | undefined>): { now: T[]; later: T[] } {
  const taken = new Set<string>();
  const now: T[] = [];
  const later: T[] = [];
  for (const item of pending) {
    const keys = [...keysOf(item)].filter((key): key is string => key !== undefined);
    (keys.some((key) => taken.has(key)) ? later : now).push(item);
    for (const key of keys) taken.add(key);
  }
  return { now, later };
}

/**
 * Runs `pass` until every item is written: each pass reads the store for what is pending,
 * names each item's keys from that read, and writes the first round (see firstRound).
 */
export async function inRounds<T, S>(
  items: readonly T[],
  read: (pending: T[]) => Promise<S>,
  keysOf: (item: T, state: S) => Iterable<string | undefined>,
  write: (round: T[], state: S) => Promise<void>,
): Promise<void> {
  let pending = [...items];
  while (pending.length > 0) {
    const state = await read(pending);
    const { now, later } = firstRound(pending, (item) => keysOf(item, state));
    await write(now, state);
    pending = later;
  }
}
