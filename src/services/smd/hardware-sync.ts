// Making hardware locations match SMD HWInvByLoc records (imports, SMD discovery), many in one
// transaction with a few statements: the positions, the FRUs' devices and the open
// installations of a whole list are read in three queries; missing positions and devices are
// inserted together, positions whose location differs updated one statement per distinct
// location, and the devices installed by installDevicesIn. syncHardwareLocationIn is this with
// one item.
import { randomUUID } from 'node:crypto';
import { createManyReturning } from '../../db/bulk-insert.js';
import type { Prisma, Tx } from '../../db/client.js';
import { requireXname } from '../../domain/smd-names.js';
import { stableJson } from '../../domain/stable-json.js';
import { fieldPath, optionalText } from '../../domain/validate.js';
import type { Change } from '../core/change-log.js';
import type { WriteResult } from '../core/transaction.js';
import { type ComponentRow, checkItem, closeInstallationsIn, insertIn } from './component.js';
import {
  type FruFields,
  type FruInput,
  fruDeviceCandidates,
  fruFields,
  holdsFru,
  ordinalOf,
  parsed,
  pickFruDevice,
} from './hardware-fru.js';
import { installDevicesIn } from './installation-bulk.js';
import { withNumberNid } from './nid.js';
import { type Indexed, inRounds } from './rounds.js';

export interface HardwareLocationSync {
  xname: string;
  ordinal?: number;
  /** SMD's Status; by default Populated with a FRU, Empty without. */
  status?: string | null;
  locationInfo: Record<string, unknown>;
  /** The FRU installed there; null when none is (an installed device is then removed). */
  fru: FruInput | null;
}

type DeviceRow = Prisma.DeviceGetPayload<object>;
type InstallationRow = Prisma.InstallationGetPayload<object>;

interface Checked {
  path: string | undefined;
  xname: string;
  ordinal: number;
  status: string;
  locationInfo: Record<string, unknown>;
  fields: FruFields | null;
}

/** What a pass reads: the live positions, each item's device, the open installations of both. */
interface Store {
  positions: Map<string, ComponentRow>;
  devices: Map<number, DeviceRow | null>;
  openAt: Map<string, InstallationRow>;
  openOf: Map<string, InstallationRow>;
}

function check(item: HardwareLocationSync, path: string | undefined): Checked {
  const { xname } = requireXname(item.xname, fieldPath(path, 'xname'));
  return {
    path,
    xname,
    ordinal: item.ordinal ?? ordinalOf(xname),
    status: optionalText(item.status, fieldPath(path, 'status'), 64) ?? (item.fru ? 'Populated' : 'Empty'),
    locationInfo: item.locationInfo,
    fields: item.fru ? fruFields(item.fru) : null,
  };
}

async function readStore(tx: Tx, pending: Array<Indexed<Checked>>): Promise<Store> {
  const positions = (
    await tx.component.findMany({ where: { deletedAt: null, xname: { in: [...new Set(pending.map(({ item }) => item.xname))] } } })
  ).map(withNumberNid);
  const withFru = pending.filter(({ item }) => item.fields);
  const candidates = await fruDeviceCandidates(
    tx,
    withFru.map(({ item }) => item.fields as FruFields),
  );
  const devices = new Map(withFru.map(({ index, item }) => [index, pickFruDevice(item.fields as FruFields, candidates)]));
  const deviceIds = [...new Set([...devices.values()].flatMap((d) => (d ? [d.id] : [])))];
  const open =
    positions.length + deviceIds.length === 0
      ? []
      : await tx.installation.findMany({
          where: { open: true, OR: [{ componentId: { in: positions.map((p) => p.id) } }, { deviceId: { in: deviceIds } }] },
        });
  return {
    positions: new Map(positions.map((p) => [p.xname, p])),
    devices,
    openAt: new Map(open.map((i) => [i.componentId, i])),
    openOf: new Map(open.map((i) => [i.deviceId, i])),
  };
}

/** Everything an item reads or writes: two items sharing none are independent of each other. */
function* keysOf({ index, item }: Indexed<Checked>, store: Store): Generator<string | undefined> {
  const serial = (m: string | null, s: string | null) => (m && s ? `serial:${m}\u0000${s}` : undefined);
  yield `xname:${item.xname}`;
  const position = store.positions.get(item.xname);
  if (position) {
    yield `position:${position.id}`;
    const installed = store.openAt.get(position.id);
    if (installed) yield `device:${installed.deviceId}`;
  }
  if (!item.fields) return;
  yield `fru:${item.fields.fruId}`;
  yield serial(item.fields.manufacturer, item.fields.serialNumber);
  const device = store.devices.get(index);
  if (!device) return;
  yield `device:${device.id}`;
  if (device.fruId) yield `fru:${device.fruId}`;
  yield serial(device.manufacturer, device.serialNumber);
  const at = store.openOf.get(device.id);
  if (at) yield `position:${at.componentId}`;
}

/** Rows grouped by identical data, so each group is one UPDATE. */
function bySameData<T>(rows: Array<{ id: string; data: T }>): Array<{ data: T; ids: string[] }> {
  const groups = new Map<string, { data: T; ids: string[] }>();
  for (const { id, data } of rows) {
    const key = stableJson(data);
    const group = groups.get(key) ?? { data, ids: [] };
    group.ids.push(id);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Writes one round of independent items; answers each item's changes in the single writer's order. */
async function writeRound(tx: Tx, round: Array<Indexed<Checked>>, store: Store): Promise<Map<number, Change[]>> {
  const now = new Date();
  const changes = new Map(round.map(({ index }) => [index, [] as Change[]]));
  const add = (index: number, ...more: Change[]) => {
    changes.get(index)?.push(...more);
  };

  // Positions: created where missing (state Populated with a FRU, Empty without).
  const missing = round.filter(({ item }) => !store.positions.has(item.xname));
  const created = await insertIn(
    tx,
    missing.map(({ item }) => checkItem({ xname: item.xname, state: item.fields ? 'Populated' : 'Empty' }, item.path)),
  );
  for (const [i, { index }] of missing.entries()) add(index, created.changes[i]);
  const positionOf = new Map([...store.positions, ...created.result.map((row): [string, ComponentRow] => [row.xname, row])]);

  // Locations: compared with what they read as (listHardwareLocations' defaults for columns never
  // written), so importing an export of this store changes nothing.
  const moved = round.flatMap(({ index, item }) => {
    const position = positionOf.get(item.xname) as ComponentRow;
    const installed = position.hwStatus === null && store.openAt.has(position.id);
    const same =
      (position.ordinal ?? ordinalOf(item.xname)) === item.ordinal &&
      (position.hwStatus ?? (installed ? 'Populated' : 'Empty')) === item.status &&
      stableJson(parsed(position.locationInfo) ?? {}) === stableJson(item.locationInfo);
    return same
      ? []
      : [{ index, id: position.id, data: { ordinal: item.ordinal, hwStatus: item.status, locationInfo: item.locationInfo } }];
  });
  for (const { data, ids } of bySameData(moved)) {
    await tx.component.updateMany({
      where: { id: { in: ids } },
      data: { ...data, locationInfo: data.locationInfo as Prisma.InputJsonObject, revision: { increment: 1 } },
    });
  }
  if (moved.length) {
    const afters = new Map(
      (await tx.component.findMany({ where: { id: { in: moved.map((m) => m.id) } } })).map((row) => [row.id, withNumberNid(row)]),
    );
    const beforeOf = new Map([...positionOf.values()].map((p) => [p.id, p]));
    for (const { index, id } of moved)
      add(index, { entityType: 'Component', entityId: id, action: 'updated', before: beforeOf.get(id), after: afters.get(id) });
  }

  // Devices: each FRU's device gets the FRU's identity; one is created where none is found.
  const deviceOf = new Map<number, DeviceRow>();
  const fresh: Array<{ index: number; row: Prisma.DeviceCreateManyInput }> = [];
  for (const { index, item } of round) {
    if (!item.fields) continue;
    const position = positionOf.get(item.xname) as ComponentRow;
    const device = store.devices.get(index);
    if (!device) {
      const row = {
        ...item.fields,
        id: randomUUID(),
        deviceType: position.type,
        name: item.xname,
        properties: {},
        providerMetadata: {},
        externalIds: {},
      };
      fresh.push({ index, row });
    } else if (holdsFru(device, item.fields, position.type, item.xname)) {
      deviceOf.set(index, device);
    } else {
      // Each device gets its own identity: one UPDATE each (an import rarely changes many).
      const updated = await tx.device.update({ where: { id: device.id }, data: { ...item.fields, revision: { increment: 1 } } });
      add(index, { entityType: 'Device', entityId: device.id, action: 'updated', before: device, after: updated });
      deviceOf.set(index, updated);
    }
  }
  const inserted = new Map(
    (
      await createManyReturning<DeviceRow>(
        tx,
        'Device',
        fresh.map(({ row }) => row),
      )
    ).map((device) => [device.id, device]),
  );
  for (const { index, row } of fresh) {
    const device = inserted.get(row.id as string) as DeviceRow;
    deviceOf.set(index, device);
    add(index, { entityType: 'Device', entityId: device.id, action: 'created', after: device });
  }

  // Installations by installDevicesIn's rule: whatever sat in the position leaves, the device
  // leaves wherever it was, a device already there stays. Without a FRU, the position is emptied.
  // (A device read as installed in its position already is not handed over: nothing to read again.)
  const installing = round.flatMap(({ index, item }) => {
    const device = deviceOf.get(index);
    const position = positionOf.get(item.xname) as ComponentRow;
    return device && store.openAt.get(position.id)?.deviceId !== device.id ? [{ index, xname: item.xname, deviceId: device.id }] : [];
  });
  const installed = await installDevicesIn(
    tx,
    installing.map(({ xname, deviceId }) => ({ xname, deviceId })),
    { source: 'smd', now },
  );
  for (const [i, { index }] of installing.entries()) add(index, ...installed[i].changes);
  const emptied = new Map(
    round.flatMap(({ index, item }) => (item.fields ? [] : [[(positionOf.get(item.xname) as ComponentRow).id, index] as const])),
  );
  if (emptied.size) {
    for (const change of await closeInstallationsIn(tx, { componentId: { in: [...emptied.keys()] } }, now))
      add(emptied.get(change.entityId) as number, change);
  }
  return changes;
}

/**
 * Each location made to match an SMD HWInvByLoc (imports): the position (created when missing)
 * gets the ordinal, status and location info; the FRU's device is found as
 * loadHardwareLocationsIn finds it (else created), gets the FRU's identity and is installed
 * there; without a FRU, whatever is installed leaves. Nothing is written where the store
 * already matches. Results come in input order, as if each location had been synced one after
 * the other (a FRU named twice moves to the later location). Every item is checked first;
 * errors name the item (`<listField>.3.status`, or `status` without a listField).
 */
export async function syncHardwareLocationsIn(tx: Tx, items: HardwareLocationSync[], listField?: string): Promise<WriteResult<string>[]> {
  const checked = items.map((item, i) => check(item, listField === undefined ? undefined : `${listField}.${i}`));
  const results: WriteResult<string>[] = new Array(items.length);
  await inRounds(
    checked.map((item, index): Indexed<Checked> => ({ index, item })),
    (pending) => readStore(tx, pending),
    keysOf,
    async (round, store) => {
      const changes = await writeRound(tx, round, store);
      for (const { index, item } of round) results[index] = { result: item.xname, changes: changes.get(index) ?? [] };
    },
  );
  return results;
}

/** syncHardwareLocationsIn with one item. */
export async function syncHardwareLocationIn(tx: Tx, item: HardwareLocationSync): Promise<WriteResult<string>> {
  const [synced] = await syncHardwareLocationsIn(tx, [item]);
  return synced;
}
