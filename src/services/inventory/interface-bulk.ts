// Writing many interfaces in one transaction (an import's batch) in a few statements instead of
// several per interface, with the rules of interface-rules.ts: owners (device, position by
// xname) are resolved, keys checked and addresses read for the whole list in one query each;
// new rows are multi-row INSERTs, and updates of the same columns share one UPDATE.
// createInterfaceIn and updateInterfaceIn are lists of one, and SMD's EthernetInterfaces view
// (interface.ts) writes through these with `smdOwners`. An error names the item at fault
// through the caller's `itemError`.
import { randomUUID } from 'node:crypto';
import { createManyReturning, insertRows } from '../../db/bulk-insert.js';
import { type RowUpdate, updateRowsById } from '../../db/bulk-update.js';
import { engineOf, type Prisma, type Tx } from '../../db/client.js';
import { findManyIn } from '../../db/where-in.js';
import { ConflictError, type InventoryError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { stableJson } from '../../domain/stable-json.js';
import { optionalText } from '../../domain/validate.js';
import { normalizeXname } from '../../domain/xname.js';
import type { Change } from '../core/change-log.js';
import { eachChecked, type ItemError, itemErrorAsIs } from '../core/item-error.js';
import { translateDatabaseError } from '../core/transaction.js';
import type { BulkOptions } from './device-bulk.js';
import {
  addressesOf,
  checkFields,
  checkIpAddresses,
  ENTITY,
  type InterfaceInput,
  type InterfaceRow,
  type IpAddressView,
  refuseTakenKeys,
} from './interface-rules.js';

export interface NewInterface {
  input: InterfaceInput;
  /** The id to give it; made here when absent. */
  id?: string;
}

export interface InterfaceUpdate {
  id: string;
  input: InterfaceInput;
}

export interface InterfaceBulkOptions extends BulkOptions {
  /**
   * SMD's view of owners (EthernetInterfaces): an xname with no live position is kept by name
   * (componentXname) instead of refused, and an interface may have no owner at all.
   */
  smdOwners?: boolean;
  /** Leaves an interface that already has what its input gives as it is: no write, no change (imports). */
  skipUnchanged?: boolean;
}

type Owner = { deviceId: string | null; componentId: string | null; componentXname?: string | null };

/** An interface is written once per list: a second item for it is refused. */
function refuseRepeatedIds(ids: string[], itemError: ItemError): void {
  const seen = new Set<string>();
  for (const [index, id] of ids.entries()) {
    if (seen.has(id)) throw itemError(index, new ConflictError('id', `interface ${id} is given twice in this write`));
    seen.add(id);
  }
}

/**
 * The device and position each interface will belong to: the input's, else the current ones.
 * The devices named must be live and the xnames live positions (one query each).
 */
async function resolveOwners(
  tx: Tx,
  inputs: InterfaceInput[],
  befores: Array<InterfaceRow | undefined>,
  itemError: ItemError,
  smdOwners = false,
): Promise<Owner[]> {
  const xnames = eachChecked(
    inputs,
    (input) => {
      const xname = optionalText(input.xname, 'xname', 64);
      return xname ? normalizeXname(xname) : xname;
    },
    itemError,
  );
  const deviceIds = [...new Set(inputs.flatMap((input) => (input.deviceId ? [input.deviceId] : [])))];
  const wanted = [...new Set(xnames.filter((x): x is string => Boolean(x)))];
  const liveDevices = new Set((await findManyIn(tx, 'Device', 'id', deviceIds, { select: ['id'], live: true })).map((d) => d.id));
  const positions = new Map(
    (await findManyIn(tx, 'Component', 'xname', wanted, { select: ['id', 'xname'], live: true })).map((c) => [c.xname, c.id]),
  );
  return inputs.map((input, index) => {
    const before = befores[index];
    const xname = xnames[index];
    if (input.deviceId && !liveDevices.has(input.deviceId)) throw itemError(index, new NotFoundError('Device', input.deviceId, 'deviceId'));
    if (smdOwners) return smdOwner(input, before, xname, positions);
    if (xname && !positions.has(xname)) throw itemError(index, new NotFoundError('Component', xname, 'xname'));
    const owner = {
      deviceId: input.deviceId === undefined ? (before?.deviceId ?? null) : input.deviceId,
      componentId: xname === undefined ? (before?.componentId ?? null) : xname === null ? null : (positions.get(xname) as string),
    };
    if (!owner.deviceId && !owner.componentId) {
      throw itemError(
        index,
        new ValidationError('deviceId', 'an interface belongs to a device (deviceId), a position (xname) or both: give at least one'),
      );
    }
    return owner;
  });
}

/** SMD's owner: a live position of the xname, else the xname kept by name; no owner at all is allowed. */
function smdOwner(
  input: InterfaceInput,
  before: InterfaceRow | undefined,
  xname: string | null | undefined,
  positions: Map<string, string>,
): Owner {
  const deviceId = input.deviceId === undefined ? (before?.deviceId ?? null) : input.deviceId;
  if (xname === undefined) return { deviceId, componentId: before?.componentId ?? null, componentXname: before?.componentXname ?? null };
  const componentId = (xname && positions.get(xname)) || null;
  return { deviceId, componentId, componentXname: xname && !componentId ? xname : null };
}

/** The address rows to insert (given ids), the whole set for a new interface or what a set adds. */
function addressRows(interfaceId: string, wanted: IpAddressView[], held: IpAddressView[] = []) {
  const kept = new Set(held.map((a) => `${a.address} ${a.network}`));
  return wanted
    .filter((a) => !kept.has(`${a.address} ${a.network}`))
    .map((a) => ({ id: randomUUID(), address: a.address, network: a.network, interfaceId }));
}

/**
 * Creates the interfaces in one INSERT per column set (and one for their addresses). Returns
 * the rows in input order and their 'created' changes for the caller to log.
 */
export async function createInterfacesIn(
  tx: Tx,
  items: NewInterface[],
  { itemError = itemErrorAsIs, smdOwners }: InterfaceBulkOptions = {},
): Promise<{ result: InterfaceRow[]; changes: Change[] }> {
  if (items.length === 0) return { result: [], changes: [] };
  const inputs = items.map((item) => item.input);
  const fields = eachChecked(inputs, checkFields, itemError);
  const addresses = eachChecked(inputs, (input) => checkIpAddresses(input.ipAddresses) ?? [], itemError);
  const owners = await resolveOwners(
    tx,
    inputs,
    items.map(() => undefined),
    itemError,
    smdOwners,
  );
  const ids = items.map((item) => item.id ?? randomUUID());
  refuseRepeatedIds(ids, itemError);
  await refuseTakenKeys(
    tx,
    ids.map((id, i) => ({ id, ...owners[i], name: fields[i].name ?? null, macAddress: fields[i].macAddress ?? null })),
    itemError,
  );
  const result = await createManyReturning<InterfaceRow>(
    tx,
    'Interface',
    ids.map((id, i) => ({ properties: {}, ...fields[i], ...owners[i], id })),
  );
  const rows = ids.flatMap((id, i) => addressRows(id, addresses[i]));
  if (rows.length) await insertRows(tx, engineOf(tx), 'IpAddress', rows, new Date());
  // Read back for the change log, in the order the database sorts them.
  const written = rows.length ? await addressesOf(tx, [...new Set(rows.map((r) => r.interfaceId))]) : new Map();
  return {
    result,
    changes: result.map((row) => ({
      entityType: ENTITY,
      entityId: row.id,
      action: 'created' as const,
      after: { ...row, ipAddresses: written.get(row.id) ?? [] },
    })),
  };
}

/**
 * Changes only the fields each input gives; `ipAddresses`, when given, replaces the set (only
 * the addresses that differ are deleted and inserted). Interfaces changing the same columns
 * share one UPDATE (an address set alone changes only the revision). Changes in input order:
 * 'moved' when the device or position changes, else 'updated'; with `skipUnchanged`, none for
 * an interface that already has what its input gives (its row is answered as it is).
 */
export async function updateInterfacesIn(
  tx: Tx,
  items: InterfaceUpdate[],
  { itemError = itemErrorAsIs, smdOwners, skipUnchanged }: InterfaceBulkOptions = {},
): Promise<{ result: InterfaceRow[]; changes: Change[] }> {
  if (items.length === 0) return { result: [], changes: [] };
  const inputs = items.map((item) => item.input);
  const fields = eachChecked(inputs, checkFields, itemError);
  const addresses = eachChecked(inputs, (input) => checkIpAddresses(input.ipAddresses), itemError);
  const ids = items.map((item) => item.id);
  refuseRepeatedIds(ids, itemError);
  const found = new Map((await findManyIn(tx, 'Interface', 'id', ids)).map((row) => [row.id, row]));
  const befores = items.map(({ id }, index) => {
    const row = found.get(id);
    if (!row || row.deletedAt) throw itemError(index, new NotFoundError(ENTITY, id));
    return row;
  });
  const owners = await resolveOwners(tx, inputs, befores, itemError, smdOwners);
  const keys = befores.map((before, i) => ({
    id: before.id,
    deviceId: owners[i].deviceId,
    name: fields[i].name === undefined ? before.name : fields[i].name,
    macAddress: fields[i].macAddress === undefined ? before.macAddress : fields[i].macAddress,
  }));
  const claims = keys.flatMap((key, index) =>
    key.deviceId !== befores[index].deviceId || key.name !== befores[index].name || key.macAddress !== befores[index].macAddress
      ? [{ key, index }]
      : [],
  );
  await refuseTakenKeys(
    tx,
    claims.map((c) => c.key),
    (i, error) => itemError(claims[i].index, error),
  );
  const held = await addressesOf(tx, ids);

  // What differs from each row, plus the revision. A row taking a new key (MAC, device, name) is
  // written alone, in list order, so that a key an earlier one gives up is free by then; the
  // others share one UPDATE per set of columns changed, each row given its own values (a new
  // address set alone: the revision).
  const claimed = new Set(claims.map((c) => c.index));
  const diffs = befores.map((before, i) => {
    const wanted: Record<string, unknown> = { ...fields[i], ...owners[i] };
    return Object.fromEntries(
      Object.entries(wanted).filter(([field, value]) => stableJson(value) !== stableJson(before[field as keyof InterfaceRow])),
    ) as Prisma.InterfaceUncheckedUpdateManyInput;
  });
  const holdsAddresses = (i: number) => {
    const wanted = addresses[i];
    const have = held.get(ids[i]) ?? [];
    return !wanted || (wanted.length === have.length && addressRows(ids[i], wanted, have).length === 0);
  };
  const writes = befores.flatMap((_, i) =>
    skipUnchanged && !claimed.has(i) && Object.keys(diffs[i]).length === 0 && holdsAddresses(i) ? [] : [i],
  );
  const together: RowUpdate[] = [];
  for (const i of writes) {
    const before = befores[i];
    const data = diffs[i];
    if (!claimed.has(i)) {
      together.push({ id: before.id, revision: before.revision, data });
      continue;
    }
    await tx.interface
      .update({ where: { id: before.id, revision: before.revision }, data: { ...data, revision: { increment: 1 } } })
      .catch((error) => {
        throw itemError(i, translateDatabaseError(error) as InventoryError);
      });
  }
  const count = await updateRowsById(tx, 'Interface', together);
  if (count !== together.length) throw new Error(`updateInterfacesIn: ${together.length - count} interface(s) changed during the write`);

  const replaced = writes.flatMap((i) => (addresses[i] ? [{ id: ids[i], wanted: addresses[i] as IpAddressView[] }] : []));
  const wantedKey = new Set(replaced.flatMap(({ id, wanted }) => wanted.map((a) => `${id} ${a.address} ${a.network}`)));
  const gone = replaced.flatMap(({ id }) => {
    const addresses = (held.get(id) ?? []).filter((a) => !wantedKey.has(`${id} ${a.address} ${a.network}`)).map((a) => a.address);
    return addresses.length ? [{ interfaceId: id, address: { in: addresses } }] : [];
  });
  if (gone.length) await tx.ipAddress.deleteMany({ where: { OR: gone } });
  const added = replaced.flatMap(({ id, wanted }) => addressRows(id, wanted, held.get(id)));
  if (added.length) await insertRows(tx, engineOf(tx), 'IpAddress', added, new Date());
  const afterAddresses = replaced.length
    ? await addressesOf(
        tx,
        replaced.map((r) => r.id),
      )
    : new Map<string, IpAddressView[]>();

  const written = writes.map((i) => ids[i]);
  const afters = new Map((await findManyIn(tx, 'Interface', 'id', written)).map((row) => [row.id, row]));
  const result = befores.map((before) => afters.get(before.id) ?? before);
  const changes = writes.map((i): Change => {
    const after = result[i];
    const before = befores[i];
    const moved = owners[i].deviceId !== before.deviceId || owners[i].componentId !== before.componentId;
    return {
      entityType: ENTITY,
      entityId: after.id,
      action: moved ? 'moved' : 'updated',
      before: { ...before, ipAddresses: held.get(before.id) ?? [] },
      after: { ...after, ipAddresses: addresses[i] ? (afterAddresses.get(after.id) ?? []) : (held.get(after.id) ?? []) },
    };
  });
  return { result, changes };
}
