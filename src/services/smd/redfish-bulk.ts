// Syncing many Redfish endpoints in one transaction: the live rows of a whole list are read in
// one query, the new ones inserted together, and only the endpoints that differ updated. The
// rules are the single writer's: syncRedfishEndpointIn is this with one input.
import type { Tx } from '../../db/client.js';
import { findManyIn } from '../../db/where-in.js';
import { fieldPath } from '../../domain/validate.js';
import type { Change } from '../core/change-log.js';
import type { WriteResult } from '../core/transaction.js';
import {
  checkNewEndpoint,
  type EndpointRow,
  holds,
  insertEndpointsIn,
  type NewEndpoint,
  type RedfishEndpointInput,
  refuseTakenEndpoints,
  replacementOf,
  WITHOUT_PASSWORD,
} from './redfish.js';
import { samePassword, sealPassword } from './redfish-credentials.js';
import { type Indexed, inRounds } from './rounds.js';

/**
 * Each input's endpoint created, or every field of the live one replaced as
 * replaceRedfishEndpointIn does, its discovery info included; nothing is written for an input
 * the store already matches (imports). A password given is stored sealed (compared with the
 * stored one decrypted, never returned); none keeps the stored one. Results come in input order,
 * as if each input had been synced one after the other (an FQDN is free only once the endpoint
 * holding it has given it up earlier in the list). Every input is checked first; errors name the
 * input (`<listField>.3.fqdn`, or `fqdn` without a listField).
 */
export async function syncRedfishEndpointsIn(
  tx: Tx,
  inputs: RedfishEndpointInput[],
  listField?: string,
): Promise<WriteResult<EndpointRow>[]> {
  const checked = inputs.map((input, i) => checkNewEndpoint(input, listField === undefined ? undefined : `${listField}.${i}`));
  const results: WriteResult<EndpointRow>[] = new Array(inputs.length);
  await inRounds(
    checked.map((item, index): Indexed<NewEndpoint> => ({ index, item })),
    async (pending) => {
      const xnames = pending.map(({ item }) => item.xname);
      const rows = await findManyIn(tx, 'RedfishEndpoint', 'xname', xnames, { live: true });
      return new Map(rows.map((row) => [row.xname, row]));
    },
    ({ item }, live) => [`xname:${item.xname}`, `fqdn:${item.data.fqdn}`, `fqdn:${live.get(item.xname)?.fqdn ?? item.data.fqdn}`],
    async (round, live) => {
      const fresh = round.filter(({ item }) => !live.has(item.xname));
      const created = fresh.length
        ? await insertEndpointsIn(
            tx,
            fresh.map(({ item }) => item),
          )
        : { result: [], changes: [] };
      fresh.forEach(({ index }, i) => {
        results[index] = { result: created.result[i], changes: [created.changes[i]] };
      });
      const changed: Array<{ index: number; item: NewEndpoint; before: EndpointRow; replacement: ReturnType<typeof replacementOf> }> = [];
      for (const { index, item } of round) {
        const stored = live.get(item.xname);
        if (!stored) continue;
        const { password: storedPassword, ...before } = stored;
        const replacement = replacementOf(item);
        const password = item.data.password;
        if (holds(before, replacement) && (!password || samePassword(tx, before.id, storedPassword, password)))
          results[index] = { result: before, changes: [] };
        else changed.push({ index, item, before, replacement });
      }
      if (changed.length === 0) return;
      await refuseTakenEndpoints(
        tx,
        changed.map(({ item, before, replacement }) => ({ path: item.path, xname: item.xname, fqdn: replacement.fqdn, id: before.id })),
      );
      // Each endpoint gets its own fields: one UPDATE each (an import rarely changes many).
      for (const { index, item, before, replacement } of changed) {
        const password = item.data.password;
        const after = await tx.redfishEndpoint.update({
          where: { id: before.id },
          data: {
            ...replacement,
            ...(password ? { password: sealPassword(tx, before.id, password, fieldPath(item.path, 'password')) } : {}),
            revision: { increment: 1 },
          },
          omit: WITHOUT_PASSWORD,
        });
        const change: Change = { entityType: 'RedfishEndpoint', entityId: after.id, action: 'updated', before, after };
        results[index] = { result: after, changes: [change] };
      }
    },
  );
  return results;
}

/** syncRedfishEndpointsIn with one input. */
export async function syncRedfishEndpointIn(tx: Tx, input: RedfishEndpointInput): Promise<WriteResult<EndpointRow>> {
  const [synced] = await syncRedfishEndpointsIn(tx, [input]);
  return synced;
}
