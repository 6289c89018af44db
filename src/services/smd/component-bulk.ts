// Syncing many components in one transaction with a few statements: the live rows of a whole
// list are read in one query, the new ones inserted with multi-row INSERTs, and only the
// fields that differ updated (one statement per distinct patch). The rules are the single
// writer's: syncComponentIn is this with one input.
import type { Tx } from '../../db/client.js';
import type { WriteResult } from '../core/transaction.js';
import {
  type CheckedItem,
  type ComponentInput,
  type ComponentRow,
  checkItem,
  findTargets,
  insertIn,
  patchIn,
  type Target,
} from './component.js';
import { type Indexed, inRounds } from './rounds.js';

const nidKey = (nid: number | null | undefined) => (typeof nid === 'number' ? `nid:${nid}` : undefined);

/**
 * Each input's component created, or given the fields it names that differ from the live one;
 * an input the store already matches writes nothing and answers no change, so an import can run
 * again. The result is each input's row and changes, in input order, as if each input had been
 * synced one after the other (a repeated xname creates, then updates; a NID is free only once
 * the component holding it has moved off it earlier in the list). Every input is checked first;
 * errors name the input (`<listField>.3.state`, or `state` without a listField).
 */
export async function syncComponentsIn(tx: Tx, inputs: ComponentInput[], listField?: string): Promise<WriteResult<ComponentRow>[]> {
  return syncCheckedComponentsIn(
    tx,
    inputs.map((input, i) => checkItem(input, listField === undefined ? undefined : `${listField}.${i}`)),
  );
}

/**
 * Creates the component, or sets on the live one the fields given that differ; nothing is
 * written (no change) when it already has them, so an import can be run again.
 */
export async function syncComponentIn(tx: Tx, input: ComponentInput): Promise<WriteResult<ComponentRow>> {
  const [synced] = await syncComponentsIn(tx, [input]);
  return synced;
}

/** syncComponentsIn for items already checked (each names its own path for errors). */
export async function syncCheckedComponentsIn(tx: Tx, items: CheckedItem[]): Promise<WriteResult<ComponentRow>[]> {
  const results: WriteResult<ComponentRow>[] = new Array(items.length);
  await inRounds(
    items.map((item, index): Indexed<CheckedItem> => ({ index, item })),
    async (pending) =>
      new Map(
        (
          await findTargets(
            tx,
            pending.map(({ item }) => item),
            true,
          )
        ).map((target) => [target.xname, target]),
      ),
    ({ item }, live) => [`xname:${item.xname}`, nidKey(item.data.nid), nidKey(live.get(item.xname)?.before.nid)],
    async (round, live) => {
      const fresh = round.filter(({ item }) => !live.has(item.xname));
      const created = await insertIn(
        tx,
        fresh.map(({ item }) => item),
      );
      fresh.forEach(({ index }, i) => {
        results[index] = { result: created.result[i], changes: [created.changes[i]] };
      });
      const existing = round.flatMap(({ index, item }) => {
        const target = live.get(item.xname);
        return target ? [{ index, target: { ...item, id: target.id, before: target.before } satisfies Target }] : [];
      });
      const patched = await patchIn(
        tx,
        existing.map(({ target }) => target),
      );
      const changeOf = new Map(patched.changes.map((change) => [change.entityId, change]));
      existing.forEach(({ index, target }, i) => {
        const change = changeOf.get(target.id);
        results[index] = { result: patched.result[i], changes: change ? [change] : [] };
      });
    },
  );
  return results;
}
