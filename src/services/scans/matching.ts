// Matches a scan's items to live devices and proposes the diff, the way fru-tracker
// reconciles a DiscoverySnapshot: serial number first (with the manufacturer when given), then
// the Redfish URI (properties.redfish_uri, or any externalIds value, of a device of the same
// type); the parent by parentSerialNumber (in the scan, else a live device), else by
// properties.redfish_parent_uri (in the scan only); self-links and cycles skipped.
// Beyond fru-tracker: live children of scanned devices that the scan no longer reports
// (with their own unreported subtrees) are proposed for removal.
import type { Db, Tx } from '../../db/client.js';
import { stableJson } from '../../domain/stable-json.js';
import type { FieldChange, ParentRef, ScanCreate, ScanDiff, ScanMove, ScanRemoval, ScanUpdate } from './diff.js';
import { redfishParentUri, redfishUri, type ScannedItem } from './payload.js';

const SELECT = {
  id: true,
  revision: true,
  deviceType: true,
  manufacturer: true,
  partNumber: true,
  serialNumber: true,
  model: true,
  name: true,
  parentId: true,
  properties: true,
  externalIds: true,
} as const;

type Reader = Db | Tx;
type LiveDevice = Awaited<ReturnType<typeof loadDevices>>[number];
type ParentTarget = { item: ScannedItem } | { device: LiveDevice };

const COMPARED_FIELDS = ['deviceType', 'manufacturer', 'partNumber', 'serialNumber', 'model', 'name'] as const;

function loadDevices(reader: Reader, where: object) {
  return reader.device.findMany({ where: { deletedAt: null, ...where }, select: SELECT, orderBy: [{ id: 'asc' }] });
}

const unique = <T>(values: Array<T | null | undefined>): T[] => [...new Set(values.filter((v): v is T => v != null))];

function deviceUris(device: LiveDevice): string[] {
  const external = Object.values((device.externalIds ?? {}) as Record<string, unknown>).filter((v): v is string => typeof v === 'string');
  return unique([redfishUri(device), ...external]);
}

/** Live devices indexed the ways a scan item can name them. */
class DeviceIndex {
  private readonly bySerial = new Map<string, LiveDevice[]>();
  private readonly byUri = new Map<string, LiveDevice>();
  readonly byId = new Map<string, LiveDevice>();

  add(devices: LiveDevice[]): void {
    for (const device of devices) {
      if (this.byId.has(device.id)) continue;
      this.byId.set(device.id, device);
      if (device.serialNumber) this.bySerial.set(device.serialNumber, [...(this.bySerial.get(device.serialNumber) ?? []), device]);
      for (const uri of deviceUris(device)) if (!this.byUri.has(uri)) this.byUri.set(uri, device);
    }
  }

  /** The one live device with this serial (and manufacturer, when given). */
  bySerialNumber(serialNumber: string | null, manufacturer: string | null = null): LiveDevice | undefined {
    if (!serialNumber) return undefined;
    const same = (this.bySerial.get(serialNumber) ?? []).filter((d) => !manufacturer || d.manufacturer === manufacturer);
    return same.length === 1 ? same[0] : undefined;
  }

  byRedfishUri(uri: string | undefined): LiveDevice | undefined {
    return uri ? this.byUri.get(uri) : undefined;
  }
}

/** Item → matched device. A URI match is refused when both have serials: another serial is another part. */
async function matchItems(reader: Reader, items: ScannedItem[], index: DeviceIndex): Promise<Map<ScannedItem, LiveDevice>> {
  index.add(await loadDevices(reader, { serialNumber: { in: unique(items.flatMap((i) => [i.serialNumber, i.parentSerialNumber])) } }));
  const matches = new Map<ScannedItem, LiveDevice>();
  const taken = new Set<string>();
  const claim = (item: ScannedItem, device: LiveDevice | undefined) => {
    if (!device || taken.has(device.id)) return;
    matches.set(item, device);
    taken.add(device.id);
  };
  for (const item of items) claim(item, index.bySerialNumber(item.serialNumber, item.manufacturer));
  const byUri = items.filter((i) => !matches.has(i) && redfishUri(i));
  if (byUri.length) index.add(await loadDevices(reader, { deviceType: { in: unique(byUri.map((i) => i.deviceType)) } }));
  for (const item of byUri) {
    const device = index.byRedfishUri(redfishUri(item));
    if (device && !(item.serialNumber && device.serialNumber)) claim(item, device);
  }
  return matches;
}

/** Each item's parent as the scan names it; links that point at the item itself or close a cycle are dropped. */
function resolveParents(items: ScannedItem[], index: DeviceIndex, matches: Map<ScannedItem, LiveDevice>): Map<ScannedItem, ParentTarget> {
  const itemBySerial = new Map(items.filter((i) => i.serialNumber).map((i) => [i.serialNumber as string, i]));
  const itemByUri = new Map(items.filter((i) => redfishUri(i)).map((i) => [redfishUri(i) as string, i]));
  const itemOfDevice = new Map([...matches].map(([item, device]) => [device.id, item]));
  const find = (item: ScannedItem): ParentTarget | undefined => {
    const parentUri = redfishParentUri(item);
    const named =
      (item.parentSerialNumber && (itemBySerial.get(item.parentSerialNumber) ?? index.bySerialNumber(item.parentSerialNumber))) ||
      (parentUri && itemByUri.get(parentUri)) ||
      undefined;
    if (!named) return undefined;
    if ('index' in named) return { item: named };
    const scanned = itemOfDevice.get(named.id);
    return scanned ? { item: scanned } : { device: named };
  };
  const parents = new Map<ScannedItem, ParentTarget>();
  const closesCycle = (item: ScannedItem, parent: ScannedItem) => {
    for (let at: ScannedItem | undefined = parent; at; ) {
      if (at === item) return true;
      const up = parents.get(at);
      at = up && 'item' in up ? up.item : undefined;
    }
    return false;
  };
  for (const item of items) {
    const parent = find(item);
    if (parent && !('item' in parent && closesCycle(item, parent.item))) parents.set(item, parent);
  }
  return parents;
}

function fieldChanges(item: ScannedItem, device: LiveDevice) {
  const changes: FieldChange[] = COMPARED_FIELDS.filter((f) => item[f] != null && item[f] !== device[f]).map((field) => ({
    field,
    from: device[field],
    to: item[field],
  }));
  const current = (device.properties ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(item.properties)) {
    if (stableJson(current[key]) !== stableJson(value)) changes.push({ field: `properties.${key}`, from: current[key] ?? null, to: value });
  }
  return changes;
}

/** Live descendants of the scanned devices that no item matched, deepest first. */
async function unreported(reader: Reader, matched: Set<string>, index: DeviceIndex): Promise<LiveDevice[]> {
  const levels: LiveDevice[][] = [];
  for (let parents = [...matched]; parents.length; ) {
    const children = (await loadDevices(reader, { parentId: { in: parents } })).filter((d) => !matched.has(d.id));
    index.add(children);
    if (children.length) levels.push(children);
    parents = children.map((d) => d.id);
  }
  return levels.reverse().flat();
}

export async function proposeScanDiff(reader: Reader, items: ScannedItem[]): Promise<ScanDiff> {
  const index = new DeviceIndex();
  const matches = await matchItems(reader, items, index);
  const parents = resolveParents(items, index, matches);
  const matchedIds = new Set([...matches.values()].map((d) => d.id));
  const removed = await unreported(reader, matchedIds, index);
  const missingParents = unique([...matches.values(), ...removed].map((d) => d.parentId)).filter((id) => !index.byId.has(id));
  if (missingParents.length) index.add(await loadDevices(reader, { id: { in: missingParents } }));

  const deviceRef = (id: string | null): ParentRef | null => {
    if (!id) return null;
    const device = index.byId.get(id);
    return { deviceId: id, serialNumber: device?.serialNumber ?? null, deviceType: device?.deviceType ?? null };
  };
  const parentRef = (target: ParentTarget | undefined): ParentRef | null => {
    if (!target) return null;
    if ('device' in target) return deviceRef(target.device.id);
    const matched = matches.get(target.item);
    return matched
      ? deviceRef(matched.id)
      : { ref: target.item.index, serialNumber: target.item.serialNumber, deviceType: target.item.deviceType };
  };
  const existing = (device: LiveDevice) => ({
    deviceId: device.id,
    revision: device.revision,
    serialNumber: device.serialNumber,
    deviceType: device.deviceType,
  });

  const diff: ScanDiff = { creates: [], updates: [], moves: [], removals: [] };
  for (const item of items) {
    const device = matches.get(item);
    const parent = parentRef(parents.get(item));
    if (!device) {
      const { index: ref, parentSerialNumber: _named, ...fields } = item;
      diff.creates.push({ ref, ...fields, parent } satisfies ScanCreate);
      continue;
    }
    const changes = fieldChanges(item, device);
    if (changes.length) diff.updates.push({ ...existing(device), ref: item.index, changes } satisfies ScanUpdate);
    if (parent && !('deviceId' in parent && parent.deviceId === device.parentId)) {
      diff.moves.push({ ...existing(device), ref: item.index, from: deviceRef(device.parentId), to: parent } satisfies ScanMove);
    }
  }
  diff.removals = removed.map((device) => ({ ...existing(device), parent: deviceRef(device.parentId) }) satisfies ScanRemoval);
  return diff;
}
