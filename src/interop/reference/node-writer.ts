// Writes one node of the reference repository: its device, its interfaces (network_adapters),
// its drives and GPUs (child devices) and its cluster membership, each through the service
// writers, touching only what differs from the store.

import {
  deviceBookkeeping,
  type Encoded,
  type JsonObject,
  splitBookkeeping,
  withBookkeeping,
  withDeviceBookkeeping,
} from '../../codecs/reference/codec.js';
import {
  CLUSTER_KIND,
  type DeviceRow,
  DRIVE_TYPE,
  deviceIndex,
  type EncodedNode,
  GPU_TYPE,
  type InterfaceRow,
  interfaceIndex,
  NODE_TYPE,
} from '../../codecs/reference/records.js';
import type { Change, Tx, WriteResult } from '../../services/core/index.js';
import {
  checkFields,
  createDeviceIn,
  createDevicesIn,
  createInterfaceIn,
  deleteDeviceIn,
  deleteInterfaceIn,
  restoreDeviceIn,
  updateDeviceIn,
  updateInterfaceIn,
} from '../../services/inventory/index.js';
import { setDeviceGroupsIn } from '../../services/smd/index.js';
import { differences, pairUp } from './diff.js';
import { asSourceField, type FieldNames } from './record-errors.js';

const NODE_FIELDS: FieldNames = { name: 'node_name', manufacturer: 'chassis.manufacturer', model: 'chassis.name' };
const ADAPTER_FIELDS: FieldNames = { name: 'device', macAddress: 'mac', kind: 'interface', mgmtOnly: 'management' };
const DRIVE_FIELDS: FieldNames = { name: 'device', manufacturer: 'vendor', serialNumber: 'serial', 'manufacturer.serialNumber': 'serial' };
const GPU_FIELDS: FieldNames = { manufacturer: 'gpu.gpu_vendor', model: 'gpu.gpu_model' };

class Changes {
  readonly list: Change[] = [];
  async add<T>(write: Promise<WriteResult<T>>): Promise<T> {
    const { result, changes } = await write;
    this.list.push(...changes);
    return result;
  }
}

/** Writes the node; answers the changes made (none when the store already holds it). */
export async function writeNode(tx: Tx, node: EncodedNode, placement: { siteId: string; clusterId: string }): Promise<Change[]> {
  const changes = new Changes();
  await asSourceField('', NODE_FIELDS, () => writeDevice(tx, node, placement.siteId, changes));
  await writeAdapters(tx, node.id, node.adapters, changes);
  const children = await tx.device.findMany({ where: { parentId: node.id, deviceType: { in: [DRIVE_TYPE, GPU_TYPE] }, deletedAt: null } });
  await writeDrives(
    tx,
    node.id,
    node.drives,
    children.filter((c) => c.deviceType === DRIVE_TYPE),
    changes,
  );
  await writeGpus(
    tx,
    node,
    children.filter((c) => c.deviceType === GPU_TYPE),
    changes,
  );
  await changes.add(setDeviceGroupsIn(tx, node.id, CLUSTER_KIND, [placement.clusterId]));
  return changes.list;
}

async function writeDevice(tx: Tx, node: EncodedNode, siteId: string, changes: Changes) {
  const existing = await tx.device.findUnique({ where: { id: node.id } });
  const { columns, properties, bookkeeping } = node.device;
  const wanted = {
    deviceType: NODE_TYPE,
    name: columns.name as string | null,
    manufacturer: columns.manufacturer as string | null,
    model: columns.model as string | null,
    locationId: siteId,
    properties,
    providerMetadata: withDeviceBookkeeping(existing?.providerMetadata, bookkeeping),
  };
  if (!existing) {
    await changes.add(createDeviceIn(tx, wanted, { id: node.id }));
    return;
  }
  const current = existing.deletedAt ? await changes.add(restoreDeviceIn(tx, node.id)) : existing;
  const diff = differences(current, wanted);
  if (diff) await changes.add(updateDeviceIn(tx, node.id, diff));
}

function interfaceInput(deviceId: string, adapter: Encoded) {
  const { columns, properties, bookkeeping } = adapter;
  return {
    deviceId,
    name: columns.name as string | null,
    macAddress: columns.macAddress as string | null,
    kind: columns.kind as string,
    enabled: columns.enabled as boolean,
    mgmtOnly: columns.mgmtOnly as boolean,
    properties: withBookkeeping(properties, bookkeeping),
  };
}

async function writeAdapters(tx: Tx, deviceId: string, adapters: Encoded[], changes: Changes) {
  const existing = await tx.interface.findMany({ where: { deviceId, deletedAt: null } });
  const wanted = adapters.map((adapter) => interfaceInput(deviceId, adapter));
  const plan = pairUp<InterfaceRow, (typeof wanted)[number]>(existing, wanted, [
    { ofRow: (row) => row.name, ofWanted: (item) => item.name },
    { ofRow: (row) => row.macAddress, ofWanted: (item) => item.macAddress },
    { ofRow: interfaceIndex, ofWanted: (item) => splitBookkeeping(item.properties).bookkeeping.index },
  ]);
  for (const row of plan.leftover) await changes.add(deleteInterfaceIn(tx, row.id));
  for (const { row, item, index } of plan.pairs) {
    const diff = differences(row, item);
    if (diff) await asSourceField(`network_adapters.${index}`, ADAPTER_FIELDS, () => changes.add(updateInterfaceIn(tx, row.id, diff)));
  }
  // An interface SMD learnt of (by MAC, with no device yet) is the adapter with that MAC: it is claimed, not duplicated.
  const macs = plan.fresh.map(({ item }) => item.macAddress).filter((mac): mac is string => mac !== null);
  const orphans = macs.length ? await tx.interface.findMany({ where: { macAddress: { in: macs }, deviceId: null, deletedAt: null } }) : [];
  for (const { item, index } of plan.fresh) {
    const orphan = orphans.find((row) => row.macAddress === item.macAddress);
    await asSourceField(`network_adapters.${index}`, ADAPTER_FIELDS, () =>
      changes.add(orphan ? updateInterfaceIn(tx, orphan.id, item) : createInterfaceIn(tx, item)),
    );
  }
}

function childInput(
  parentId: string,
  deviceType: string,
  columns: Record<string, unknown>,
  properties: JsonObject,
  providerMetadata: JsonObject,
) {
  return {
    deviceType,
    parentId,
    name: (columns.name ?? null) as string | null,
    manufacturer: (columns.manufacturer ?? null) as string | null,
    model: (columns.model ?? null) as string | null,
    serialNumber: (columns.serialNumber ?? null) as string | null,
    properties,
    providerMetadata,
  };
}

/** Makes the node's live children of one type (`existing`) match `wanted`, paired by `keys`. */
async function writeChildren(
  tx: Tx,
  existing: DeviceRow[],
  wanted: Array<ReturnType<typeof childInput>>,
  keys: Parameters<typeof pairUp<DeviceRow, ReturnType<typeof childInput>>>[2],
  errors: { list: string; prefix: (index: number) => string; names: FieldNames },
  changes: Changes,
) {
  const plan = pairUp(existing, wanted, keys);
  for (const row of plan.leftover) await changes.add(deleteDeviceIn(tx, row.id));
  for (const { row, item, index } of plan.pairs) {
    const diff = differences(row, {
      ...item,
      providerMetadata: withDeviceBookkeeping(row.providerMetadata, deviceBookkeeping(item.providerMetadata)),
    });
    if (diff) await asSourceField(errors.prefix(index), errors.names, () => changes.add(updateDeviceIn(tx, row.id, diff)));
  }
  if (plan.fresh.length === 0) return;
  // Checked one by one to name the part at fault, then made in one statement.
  for (const { item, index } of plan.fresh) await asSourceField(errors.prefix(index), errors.names, async () => checkFields(item, true));
  await asSourceField(errors.list, errors.names, () =>
    changes.add(
      createDevicesIn(
        tx,
        plan.fresh.map(({ item }) => ({ input: item })),
      ),
    ),
  );
}

const indexKey = { ofRow: deviceIndex, ofWanted: (item: ReturnType<typeof childInput>) => deviceBookkeeping(item.providerMetadata).index };

function writeDrives(tx: Tx, nodeId: string, drives: Encoded[], existing: DeviceRow[], changes: Changes) {
  const wanted = drives.map((d) => childInput(nodeId, DRIVE_TYPE, d.columns, d.properties, withDeviceBookkeeping({}, d.bookkeeping)));
  const byName = { ofRow: (row: DeviceRow) => row.name, ofWanted: (item: ReturnType<typeof childInput>) => item.name };
  return writeChildren(
    tx,
    existing,
    wanted,
    [byName, indexKey],
    { list: 'storage_devices', prefix: (i) => `storage_devices.${i}`, names: DRIVE_FIELDS },
    changes,
  );
}

function writeGpus(tx: Tx, node: EncodedNode, existing: DeviceRow[], changes: Changes) {
  const { count, manufacturer, model } = node.gpus;
  const wanted = Array.from({ length: count }, (_, index) =>
    childInput(node.id, GPU_TYPE, { manufacturer, model }, {}, withDeviceBookkeeping({}, { index })),
  );
  return writeChildren(tx, existing, wanted, [indexKey], { list: '', prefix: () => '', names: GPU_FIELDS }, changes);
}
