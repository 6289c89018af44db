// The reference repository's records (grid, site, cluster, flavor, node) and how each maps onto
// the store, both ways:
//   grid    → Location (locationType other), the parent of the sites
//   site    → Location (locationType site; slug = uid, name, description)
//   cluster → Group of kind "cluster" named "<site>.<cluster>"
//   flavor  → Group of kind "flavor" named "<site>.<flavor>" (sites/<s>/flavors/<f>.json: a VM
//             shape a KVM site offers; a named record with properties and no members)
//   node    → Device "Node" (id = uid, name = node_name, manufacturer/model = chassis), member of
//             its cluster, in its site; network_adapters → Interfaces; storage_devices → child
//             "Drive" devices; gpu.gpu_count → that many child "GPU" devices (gpu_vendor, gpu_model);
//             everything else → properties (see codec.ts).
import { createHash } from 'node:crypto';
import { ValidationError } from '../../domain/errors.js';
import { normalizeMac } from '../../domain/mac.js';
import type { Prisma } from '../../services/core/index.js';
import {
  type Bookkeeping,
  type ColumnField,
  decodeRecord,
  deviceBookkeeping,
  type Encoded,
  encodeRecord,
  exactText,
  impliedType,
  isObject,
  type Json,
  type JsonObject,
  sortedJson,
  splitBookkeeping,
  textColumn,
} from './codec.js';

export type DeviceRow = Prisma.DeviceGetPayload<object>;
export type InterfaceRow = Prisma.InterfaceGetPayload<object>;
export type LocationRow = Prisma.LocationGetPayload<object>;
export type GroupRow = Prisma.GroupGetPayload<object>;

export const NODE_TYPE = 'Node';
export const DRIVE_TYPE = 'Drive';
export const GPU_TYPE = 'GPU';
export const CLUSTER_KIND = 'cluster';
export const FLAVOR_KIND = 'flavor';
export const GRID_LOCATION_TYPE = 'other';
export const SITE_LOCATION_TYPE = 'site';
/** At most this many GPUs are made from one node's gpu_count (a larger count stays a property). */
const MAX_GPUS = 64;

// --- identity --------------------------------------------------------------------------------

/** Site and cluster uids name directories and a group ("<site>.<cluster>"): lowercase, no dots. */
const TREE_UID = /^[a-z0-9][a-z0-9_-]{0,99}$/;
/** A node uid names its file. */
const NODE_UID = /^[^/\\\s.][^/\\]{0,254}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireTreeUid(record: JsonObject, what: string): string {
  const uid = record.uid;
  if (typeof uid !== 'string' || !TREE_UID.test(uid)) {
    throw new ValidationError('uid', `a ${what} uid is required: lowercase letters, digits, - and _ (got ${JSON.stringify(uid ?? null)})`);
  }
  return uid;
}

/** A flavor uid names its file and, lower-cased, a group ("<site>.<flavor>"): Nova flavor names such as m1.tiny. */
const FLAVOR_UID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,149}$/;

export function requireFlavorUid(record: JsonObject): string {
  const uid = record.uid;
  if (typeof uid !== 'string' || !FLAVOR_UID.test(uid) || uid.endsWith('.json'))
    throw new ValidationError('uid', `a flavor uid is required: letters, digits, . _ : and - (got ${JSON.stringify(uid ?? null)})`);
  return uid;
}

export function requireNodeUid(record: JsonObject): string {
  const uid = record.uid;
  if (typeof uid !== 'string' || !NODE_UID.test(uid))
    throw new ValidationError('uid', `a node uid is required: a file name, usually a UUID (got ${JSON.stringify(uid ?? null)})`);
  return uid;
}

/** The device id of a node: its uid when that is a UUID, else a UUID derived from the uid. */
export function nodeDeviceId(uid: string): string {
  if (UUID.test(uid)) return uid.toLowerCase();
  const hex = createHash('sha1').update(`reference-repository node ${uid}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** A cluster's group name: site and cluster uids, which have no dots, joined by one. */
export const clusterGroupName = (siteUid: string, clusterUid: string) => `${siteUid}.${clusterUid}`;

/** A flavor's group name: the site uid and the flavor uid in lower case (its spelling is kept in the bookkeeping). */
export const flavorGroupName = (siteUid: string, flavorUid: string) => `${siteUid}.${flavorUid.toLowerCase()}`;

export function clusterUidOf(groupName: string): { site: string; cluster: string } {
  const dot = groupName.indexOf('.');
  return dot < 0 ? { site: '', cluster: groupName } : { site: groupName.slice(0, dot), cluster: groupName.slice(dot + 1) };
}

// --- column fields per record ----------------------------------------------------------------

const GRID_FIELDS = [impliedType('grid')] as const;
const CLUSTER_FIELDS = [impliedType('cluster')] as const;
const FLAVOR_FIELDS = [impliedType('vm_flavor')] as const;

function siteFields(uid: string): ColumnField[] {
  const name: ColumnField<string> = {
    key: 'name',
    column: 'name',
    toColumn: (v) => exactText(v, 255) ?? uid,
    fromColumn: (c) => c,
    whenAbsent: uid,
  };
  return [impliedType('site'), name, textColumn('description', 'description', 4000)];
}

const NODE_FIELDS: readonly ColumnField[] = [
  impliedType('node'),
  textColumn('node_name', 'name'),
  textColumn('chassis.manufacturer', 'manufacturer'),
  textColumn('chassis.name', 'model'),
];

const booleanColumn = (key: string, column: string, whenAbsent: boolean): ColumnField<boolean> => ({
  key,
  column,
  toColumn: (v) => (typeof v === 'boolean' ? v : whenAbsent),
  fromColumn: (c) => c,
  whenAbsent,
});

const KINDS: Record<string, string> = { Ethernet: 'ethernet', InfiniBand: 'infiniband' };
const KIND_NAMES = Object.fromEntries(Object.entries(KINDS).map(([name, kind]) => [kind, name]));

const ADAPTER_FIELDS: readonly ColumnField[] = [
  textColumn('device', 'name', 64),
  {
    key: 'mac',
    column: 'macAddress',
    toColumn: (v) => (typeof v === 'string' ? (normalizeMac(v) ?? null) : null),
    fromColumn: (c) => c ?? undefined,
    whenAbsent: null,
  } as ColumnField<string | null>,
  booleanColumn('enabled', 'enabled', true),
  booleanColumn('management', 'mgmtOnly', false),
  {
    key: 'interface',
    column: 'kind',
    toColumn: (v) => (typeof v === 'string' ? (KINDS[v] ?? 'other') : 'other'),
    fromColumn: (c) => KIND_NAMES[c],
    whenAbsent: 'ethernet',
  } as ColumnField<string>,
];

const DRIVE_FIELDS: readonly ColumnField[] = [
  textColumn('device', 'name'),
  textColumn('vendor', 'manufacturer'),
  textColumn('model', 'model'),
  textColumn('serial', 'serialNumber'),
];

// --- encoding (source → store) ------------------------------------------------------------------

export const encodeGrid = (grid: JsonObject): Encoded => encodeRecord(grid, GRID_FIELDS, ['uid', 'sites']);
export const encodeSite = (site: JsonObject, uid: string): Encoded => encodeRecord(site, siteFields(uid), ['uid', 'clusters']);
export const encodeCluster = (cluster: JsonObject): Encoded => encodeRecord(cluster, CLUSTER_FIELDS, ['uid', 'nodes']);

/** A flavor: its uid's spelling is bookkept when the group name (lower case) does not keep it. */
export function encodeFlavor(flavor: JsonObject): Encoded {
  const uid = requireFlavorUid(flavor);
  const encoded = encodeRecord(flavor, FLAVOR_FIELDS, ['uid']);
  if (uid !== uid.toLowerCase()) encoded.bookkeeping.uid = uid;
  return encoded;
}

export interface GpuParts {
  count: number;
  manufacturer: string | null;
  model: string | null;
}

export interface EncodedNode {
  id: string;
  device: Encoded;
  /** Each with `index` in its bookkeeping. */
  adapters: Encoded[];
  drives: Encoded[];
  gpus: GpuParts;
}

function partList(node: JsonObject, key: string, absent: string[]): JsonObject[] {
  if (!Object.hasOwn(node, key)) {
    absent.push(key);
    return [];
  }
  const list = node[key];
  if (!Array.isArray(list)) throw new ValidationError(key, 'must be a list of objects');
  return list.map((item, i) => {
    if (!isObject(item)) throw new ValidationError(`${key}.${i}`, 'must be an object');
    return item;
  });
}

/** The GPUs a node's gpu object describes, and that object without the keys they stand for. */
function gpuParts(gpu: Json | undefined): { parts: GpuParts; rest: Json | undefined } {
  const none = { parts: { count: 0, manufacturer: null, model: null }, rest: gpu };
  if (!isObject(gpu)) return none;
  const count = gpu.gpu_count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_GPUS) return none;
  const rest: JsonObject = { ...gpu };
  delete rest.gpu_count;
  const take = (key: string) => {
    const text = exactText(gpu[key] ?? null, 255);
    if (text !== null) delete rest[key];
    return text;
  };
  const parts = { count, manufacturer: take('gpu_vendor'), model: take('gpu_model') };
  return { parts, rest: Object.keys(rest).length ? rest : undefined };
}

function withIndex(encoded: Encoded, index: number): Encoded {
  return { ...encoded, bookkeeping: { ...encoded.bookkeeping, index } };
}

/** Names the part at fault: "network_adapters.2.mac". */
function inPart<T>(prefix: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ValidationError && error.field)
      throw new ValidationError(`${prefix}.${error.field}`, error.message.replace(`${error.field}: `, ''));
    throw error;
  }
}

export function encodeNode(node: JsonObject): EncodedNode {
  const uid = requireNodeUid(node);
  const id = nodeDeviceId(uid);
  const absentParts: string[] = [];
  const adapters = partList(node, 'network_adapters', absentParts).map((a, i) =>
    inPart(`network_adapters.${i}`, () => withIndex(encodeRecord(a, ADAPTER_FIELDS), i)),
  );
  const drives = partList(node, 'storage_devices', absentParts).map((d, i) =>
    inPart(`storage_devices.${i}`, () => withIndex(encodeRecord(d, DRIVE_FIELDS), i)),
  );
  const { parts: gpus, rest: gpu } = gpuParts(node.gpu);
  const rest: JsonObject = { ...node };
  if (gpu === undefined) delete rest.gpu;
  else rest.gpu = gpu;
  const device = encodeRecord(rest, NODE_FIELDS, ['uid', 'network_adapters', 'storage_devices']);
  const absent = [...(device.bookkeeping.absent ?? []), ...absentParts];
  device.bookkeeping = { ...device.bookkeeping, ...(absent.length ? { absent } : {}), ...(uid !== id ? { uid } : {}) };
  return { id, device, adapters, drives, gpus };
}

// --- decoding (store → source) ------------------------------------------------------------------

const NO_COLUMNS = {};

export function decodeGrid(location: LocationRow): JsonObject {
  const { properties, bookkeeping } = splitBookkeeping(location.properties);
  return sortedJson({
    ...decodeRecord(properties, NO_COLUMNS, GRID_FIELDS, bookkeeping),
    uid: location.slug ?? location.name,
  }) as JsonObject;
}

export function siteUidOf(location: Pick<LocationRow, 'id' | 'slug'>): string {
  return location.slug ?? location.id;
}

export function decodeSite(location: LocationRow): JsonObject {
  const uid = siteUidOf(location);
  const { properties, bookkeeping } = splitBookkeeping(location.properties);
  return sortedJson({ ...decodeRecord(properties, location, siteFields(uid), bookkeeping), uid }) as JsonObject;
}

export function decodeCluster(group: GroupRow): JsonObject {
  const { properties, bookkeeping } = splitBookkeeping(group.properties);
  return sortedJson({
    ...decodeRecord(properties, NO_COLUMNS, CLUSTER_FIELDS, bookkeeping),
    uid: clusterUidOf(group.name).cluster,
  }) as JsonObject;
}

export function decodeFlavor(group: GroupRow): JsonObject {
  const { properties, bookkeeping } = splitBookkeeping(group.properties);
  const { uid: spelled, ...rest } = bookkeeping;
  return sortedJson({
    ...decodeRecord(properties, NO_COLUMNS, FLAVOR_FIELDS, rest),
    uid: spelled ?? clusterUidOf(group.name).cluster,
  }) as JsonObject;
}

/** Where the cluster's file was when it was not at clusters/<c>/<c>.json. */
export const clusterPathOf = (group: GroupRow): string | undefined => splitBookkeeping(group.properties).bookkeeping.path;

const byIndex = (a: { index: number | undefined; name: string | null; id: string }, b: typeof a) =>
  (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER) ||
  (a.name ?? '').localeCompare(b.name ?? '') ||
  a.id.localeCompare(b.id);

function ordered<T extends { id: string; name: string | null }>(rows: T[], indexOf: (row: T) => number | undefined): T[] {
  return rows
    .map((row) => ({ row, index: indexOf(row), name: row.name, id: row.id }))
    .sort(byIndex)
    .map((entry) => entry.row);
}

export function decodeAdapter(row: InterfaceRow): JsonObject {
  const { properties, bookkeeping } = splitBookkeeping(row.properties);
  return decodeRecord(properties, row, ADAPTER_FIELDS, bookkeeping);
}

export function decodeDrive(row: DeviceRow): JsonObject {
  return decodeRecord(row.properties as JsonObject, row, DRIVE_FIELDS, deviceBookkeeping(row.providerMetadata));
}

export const interfaceIndex = (row: InterfaceRow) => splitBookkeeping(row.properties).bookkeeping.index;
export const deviceIndex = (row: DeviceRow) => deviceBookkeeping(row.providerMetadata).index;

/** The node's uid: its bookkept uid, else its device id. */
export const nodeUidOf = (device: Pick<DeviceRow, 'id' | 'providerMetadata'>): string =>
  deviceBookkeeping(device.providerMetadata).uid ?? device.id;

/** A node's JSON from its device, its live interfaces and its live child devices. */
export function decodeNode(device: DeviceRow, interfaces: InterfaceRow[], children: DeviceRow[]): JsonObject {
  const bookkeeping: Bookkeeping = deviceBookkeeping(device.providerMetadata);
  const node = decodeRecord(device.properties as JsonObject, device, NODE_FIELDS, bookkeeping);
  node.uid = nodeUidOf(device);
  const absent = new Set(bookkeeping.absent ?? []);
  if (interfaces.length || !absent.has('network_adapters')) node.network_adapters = ordered(interfaces, interfaceIndex).map(decodeAdapter);
  const drives = children.filter((c) => c.deviceType === DRIVE_TYPE);
  if (drives.length || !absent.has('storage_devices')) node.storage_devices = ordered(drives, deviceIndex).map(decodeDrive);
  const gpus = ordered(
    children.filter((c) => c.deviceType === GPU_TYPE),
    deviceIndex,
  );
  if (gpus.length) {
    const gpu: JsonObject = isObject(node.gpu) ? node.gpu : {};
    if (node.gpu === undefined || isObject(node.gpu)) {
      node.gpu = gpu;
      if (!Object.hasOwn(gpu, 'gpu_count')) gpu.gpu_count = gpus.length;
      const first = gpus[0] as DeviceRow;
      if (!Object.hasOwn(gpu, 'gpu_vendor') && first.manufacturer !== null) gpu.gpu_vendor = first.manufacturer;
      if (!Object.hasOwn(gpu, 'gpu_model') && first.model !== null) gpu.gpu_model = first.model;
    }
  }
  return sortedJson(node) as JsonObject;
}
