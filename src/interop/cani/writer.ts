// Applies mapped cani records through the services' `…In(tx, …)` writers, batch by batch.
//
// Idempotent: a record's row has the record's UUID as its id; an existing row is updated with
// only the fields that differ, so an unchanged record makes no change.
//
// Records may refer to records later in the file. Per batch, the rows of the batch and the
// targets of its references are read in a few queries; a reference to a row that does not
// exist yet is settled later:
//   - a new device (module, FRU) whose parent can only be a device not there yet is written at
//     once, linked; the link is checked once the parent is written (later-parents.ts);
//   - any other device waiting for a link (an existing one, one waiting for a rack or location,
//     or one whose parent may be a rack while the racks are not all read) is written at once
//     without it, and the link is set at the end (only its ids are kept); its change is filed
//     then, as one change. Devices are what most records refer to, so they must exist early;
//   - a location or rack (their names are unique per parent, so they cannot wait at the top
//     level), an interface (it cannot exist without its device), a cable and an IP address
//     (nothing refers to them) are held whole.
// A device's inline interfaces are written with it; its position, Redfish endpoint and group
// memberships come from its providerMetadata (positions.ts, memberships.ts); which top-level
// interface records are cani's derived copies is settled by interface-index.ts.

import { type Change, findManyIn, type ImportSession, type Prisma, type Tx } from '../../services/core/index.js';
import {
  checkFields,
  checkLaterParents,
  createDevicesIn,
  createLocationIn,
  createRackIn,
  type DeviceInput,
  updateDeviceIn,
  updateDevicesIn,
  updateLocationIn,
  updateRackIn,
} from '../../services/inventory/index.js';
import { CableWriter, type PreparedCable } from './cable-writer.js';
import { asWritten, combined, type Deferred, deletedRow, differences, withDeferred } from './changes.js';
import type { DeviceRecord } from './device-records.js';
import { type FieldNames, forRecord, missingTarget, renamedFor } from './errors.js';
import { SerialHolders } from './fru-serials.js';
import { InterfaceIndex } from './interface-index.js';
import type { InterfaceRecord } from './interface-records.js';
import { writeInterfaces } from './interface-writer.js';
import { IpAddressWriter } from './ip-writer.js';
import { LaterParents } from './later-parents.js';
import { applyMemberships } from './memberships.js';
import { Positions, type SyncedPosition } from './positions.js';
import type { CableRecord, IpAddressRecord, LocationRecord, MappedRecord, RackRecord } from './records.js';
import { type Lookup, MISSING, type Model, Targets } from './targets.js';

type Json = Record<string, unknown>;

interface DeviceLink {
  section: DeviceRecord['section'];
  id: string;
  path: string;
  parent: string | null;
  parentField: string;
  parentMayBeLocation: boolean;
  rack: string | null;
  rackPosition: number | null;
  location: string | null;
  deferred: Deferred;
  /** The record's other changes (position, interfaces …), filed with the device's. */
  others: Change[];
}

/** What a device's link fields refer to (MISSING: not written yet). */
interface LinkTargets {
  parent: Lookup;
  mountedIn: Lookup;
  location: Lookup;
}

/** A device record of the batch: a new one is written with the batch's other new devices, one statement per level. */
interface NewDevice {
  record: DeviceRecord;
  desired: DeviceInput & { serialNumber: string | null; manufacturer: string | null; properties: Json };
  link: Omit<DeviceLink, 'deferred' | 'id' | 'path' | 'others'>;
  synced: SyncedPosition | null;
  specs: Array<InterfaceRecord & { id: string }>;
  waiting: boolean;
  others: Change[];
}

const NAMES = {
  locations: { parentId: 'parent' },
  racks: { locationId: 'location' },
} satisfies Record<string, FieldNames>;

function deviceNames(parentField: string): FieldNames {
  return {
    serialNumber: 'serial',
    deviceType: 'type',
    parentId: parentField,
    rackId: parentField,
    rackFace: 'face',
    rackPosition: 'rackPosition',
    locationId: 'location',
    externalIds: 'externalIDs',
  };
}

const RACK_POSITION = 'cani.rack_position';
/**
 * Records per batch: rows read and references resolved per query. Each query costs Prisma about
 * the same whatever its IN-list holds, so 2,000 rather than 500 took a 1,000-node import from 8.1
 * to 7.3 s, and 5,000 rather than 2,000 a 10,000-node SQLite import from 61–62 to 58–59 s (peak
 * RSS 891 → 1,062 MiB, live heap 106 → 119 MiB); memory stays bounded by the batch, not the file
 * (SQLite allows 32,766 bound values; the reads bind one JSON list each).
 */
export const BATCH = 5000;

const chunks = <T>(list: T[]) => Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => list.slice(i * BATCH, (i + 1) * BATCH));

type DeviceRow = Prisma.DeviceGetPayload<object>;
type CableRow = Prisma.CableGetPayload<{ include: { terminations: true } }>;

interface Rows {
  location: Map<string, Prisma.LocationGetPayload<object>>;
  rack: Map<string, Prisma.RackGetPayload<object>>;
  device: Map<string, DeviceRow>;
  interface: Map<string, Prisma.InterfaceGetPayload<object>>;
  cable: Map<string, CableRow>;
}

/** A device's parent is a rack or a device (v1alpha1: or the System location); a module's or FRU's, a device. */
const parentModels = (link: { section: DeviceRecord['section']; parentMayBeLocation: boolean }): Model[] =>
  link.section !== 'devices' ? ['device'] : link.parentMayBeLocation ? ['rack', 'device', 'location'] : ['rack', 'device'];

/** The UUIDs a record refers to. */
function referencesOf(r: MappedRecord): Array<string | null> {
  switch (r.section) {
    case 'locations':
      return [r.parent];
    case 'racks':
      return [r.location];
    case 'interfaces':
      return [r.device];
    case 'cables':
      return [r.ends.A?.interfaceId ?? null, r.ends.B?.interfaceId ?? null];
    case 'ipAddresses':
      return r.interfaces;
    default:
      return [r.parent, r.rack, r.location];
  }
}

export class CaniWriter {
  private readonly targets = new Targets();
  private readonly index = new InterfaceIndex();
  private readonly positions = new Positions();
  private readonly cables: CableWriter;
  private readonly ips: IpAddressWriter;
  private readonly ended = new Set<string>();
  private heldLocations: LocationRecord[] = [];
  private heldRacks: RackRecord[] = [];
  private heldInterfaces: InterfaceRecord[] = [];
  /** Top-level interface records read before every inline list was (a file not in cani's order). */
  private earlyInterfaces: InterfaceRecord[] = [];
  /** By device id, in the order read. */
  private readonly deviceLinks = new Map<string, DeviceLink>();
  /** New devices written under a parent later in the file, until it is written. */
  private readonly later = new LaterParents();
  /** Devices read since the last flush: new ones (not written yet) and existing ones (written, not settled). */
  private pendingDevices: Array<{ device: NewDevice; created: boolean; changes: Change[] }> = [];
  private heldCables: CableRecord[] = [];
  private heldIps: IpAddressRecord[] = [];
  /** Interface records taken since the last flush (null: derived, read past), by id too. */
  private pendingInterfaces: Array<(InterfaceRecord & { id: string }) | null> = [];
  private readonly pendingInterfaceIds = new Set<string>();
  private pendingIps: IpAddressRecord[] = [];
  private pendingCables: PreparedCable[] = [];

  constructor(private readonly session: ImportSession) {
    this.cables = new CableWriter(session.tx, this.targets);
    this.ips = new IpAddressWriter(session.tx, this.targets);
  }

  private get tx(): Tx {
    return this.session.tx;
  }

  /**
   * The document has read a record map to its end. Locations (racks) waiting for a location of
   * their own section are written now that it is read, so that the records after them find them
   * (cani's order: locations, racks, then devices, which a waiting rack would make wait too).
   */
  async sectionEnded(section: string): Promise<void> {
    this.ended.add(section);
    if (section === 'locations') await this.retryHeld(this.heldLocations, (r, rows) => this.applyLocation(r, rows));
    if (section === 'racks') await this.retryHeld(this.heldRacks, (r, rows) => this.applyRack(r, rows));
  }

  /** Whether every rack (location) of the file is read and written: none is waiting for its location (parent). */
  private allRead(section: 'racks' | 'locations'): boolean {
    return this.ended.has(section) && (section === 'racks' ? this.heldRacks : this.heldLocations).length === 0;
  }

  /** Whether every inline interface list has been read (devices and modules come before interfaces in cani's order). */
  private get inlineListsRead(): boolean {
    return this.ended.has('devices') && this.ended.has('modules');
  }

  async applyBatch(records: MappedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const devices = records.filter((r): r is DeviceRecord => r.section === 'devices' || r.section === 'modules' || r.section === 'frus');
    const specs = devices.flatMap((d) => d.interfaces.filter((i) => i.id));
    const rows = await this.loadRows([
      ...records.flatMap((r): Array<[string, string]> => (r.id ? [[r.section, r.id]] : [])),
      ...specs.map((s): [string, string] => ['interfaces', s.id as string]),
    ]);
    await this.targets.load(this.tx, records.flatMap(referencesOf));
    await this.fileSuperseded(devices, rows);
    const serials = await SerialHolders.load(this.tx, devices);
    const positions = await this.positions.syncAll(this.tx, devices);
    for (const record of records) {
      if (record.section !== 'devices' && record.section !== 'modules' && record.section !== 'frus') await this.flushDevices(rows);
      await this.flushPending(rows, record.section);
      switch (record.section) {
        case 'locations':
          if (!(await this.applyLocation(record, rows))) this.heldLocations.push(record);
          break;
        case 'racks':
          if (!(await this.applyRack(record, rows))) this.heldRacks.push(record);
          break;
        case 'interfaces':
          await this.takeInterface(record, rows);
          break;
        case 'cables':
          if (!(await this.applyCable(record, rows))) this.heldCables.push(record);
          break;
        case 'ipAddresses':
          if (!(await this.applyIp(record))) this.heldIps.push(record);
          break;
        default:
          await this.applyDevice(record, rows, serials, positions.get(record.id) ?? null);
      }
    }
    await this.flushDevices(rows);
    await this.flushPending(rows);
    this.targets.clear();
  }

  /** Once the whole file is read: every deferred link and held record, or an error naming it. */
  async finish(): Promise<void> {
    await this.retryHeld(
      this.heldLocations,
      (r, rows) => this.applyLocation(r, rows),
      (r) => missingTarget(r.path, 'parent', r.parent as string, 'location'),
    );
    await this.retryHeld(
      this.heldRacks,
      (r, rows) => this.applyRack(r, rows),
      (r) => missingTarget(r.path, 'location', r.location as string, 'location'),
    );
    await this.refuseMissingParent();
    for (const chunk of chunks([...this.deviceLinks.values()])) {
      const rows = await this.linkedRows(chunk);
      await this.targets.load(
        this.tx,
        chunk.flatMap((l) => [l.parent, l.rack, l.location]),
      );
      await this.linkDevices(chunk, rows);
      this.targets.clear();
    }
    this.deviceLinks.clear();
    this.ended.add('devices').add('modules');
    for (const chunk of chunks(this.earlyInterfaces.splice(0))) {
      const rows = await this.loadRows(chunk.flatMap((r): Array<[string, string]> => (r.id ? [['interfaces', r.id]] : [])));
      await this.targets.load(
        this.tx,
        chunk.map((r) => r.device),
      );
      for (const record of chunk) await this.takeInterface(record, rows);
      await this.flushPending(rows);
      this.targets.clear();
    }
    // Inline interfaces still without an id: no record named them.
    const placeholders = this.index.drainPlaceholders() as Array<InterfaceRecord & { id: string }>;
    for (const chunk of chunks(placeholders)) {
      const rows = await this.loadRows(chunk.map((r): [string, string] => ['interfaces', r.id]));
      for (const changes of await writeInterfaces(this.tx, chunk, rows.interface)) await this.session.record(changes);
    }
    await this.retryHeld(
      this.heldInterfaces,
      (r, rows) => this.applyInterface(r, rows),
      (r) => missingTarget(r.path, 'deviceId', r.device, 'device or module'),
    );
    // IP addresses and cables refer to interfaces only, and nothing refers to them: one more pass settles them.
    await this.retryHeld(
      this.heldIps,
      async (r) => this.applyIp(r, true),
      () => new Error('unreachable: a held IP address is applied or refused'),
    );
    await this.retryHeld(
      this.heldCables,
      (r, rows) => this.applyCable(r, rows, true),
      () => new Error('unreachable: a held cable is applied or refused'),
    );
    const memberships = await applyMemberships(this.tx, this.positions.memberships);
    if (memberships.length) await this.session.record(memberships);
  }

  /**
   * Applies held records in rounds (a held location may wait for another) until none is applied
   * in a round: then the rest is an error (`missing`) or, without it, held again. Records taken
   * to be written with their chunk are written before the next.
   */
  private async retryHeld<R extends MappedRecord>(
    held: R[],
    apply: (r: R, rows: Rows) => Promise<boolean>,
    missing?: (r: R) => Error,
  ): Promise<void> {
    let waiting = held.splice(0);
    while (waiting.length) {
      const next: R[] = [];
      for (const chunk of chunks(waiting)) {
        const rows = await this.loadRows(chunk.flatMap((r): Array<[string, string]> => (r.id ? [[r.section, r.id]] : [])));
        await this.targets.load(this.tx, chunk.flatMap(referencesOf));
        for (const record of chunk) if (!(await apply(record, rows))) next.push(record);
        await this.flushPending(rows);
        this.targets.clear();
      }
      if (next.length === waiting.length) {
        if (missing) throw missing(next[0]);
        held.push(...next);
        return;
      }
      waiting = next;
    }
  }

  // ---- reads ------------------------------------------------------------------------------

  private async loadRows(keys: Array<[string, string]>): Promise<Rows> {
    const ids = (...sections: string[]) => [...new Set(keys.filter(([s]) => sections.includes(s)).map(([, id]) => id))];
    const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((row) => [row.id, row]));
    const [locations, racks, devices, interfaces, cables] = [
      ids('locations'),
      ids('racks'),
      ids('devices', 'modules', 'frus'),
      ids('interfaces'),
      ids('cables'),
    ];
    return {
      location: byId(await findManyIn(this.tx, 'Location', 'id', locations)),
      rack: byId(await findManyIn(this.tx, 'Rack', 'id', racks)),
      device: byId(await findManyIn(this.tx, 'Device', 'id', devices)),
      interface: byId(await findManyIn(this.tx, 'Interface', 'id', interfaces)),
      cable: byId(cables.length ? await this.tx.cable.findMany({ where: { id: { in: cables } }, include: { terminations: true } }) : []),
    };
  }

  /**
   * The rows of a chunk of deferred links, read again: holding each created row to the end of
   * the file instead (the row as written) was two thirds of what an import held, 130 MiB of
   * live heap for the 65,000 deferred devices of a 10,000-node site.
   */
  private linkedRows(links: DeviceLink[]): Promise<Rows> {
    return this.loadRows(links.map((l): [string, string] => [l.section, l.id]));
  }

  // ---- locations and racks ------------------------------------------------------------------

  private async applyLocation(r: LocationRecord, rows: Rows): Promise<boolean> {
    if (this.targets.lookup(r.parent, ['location'], r.path, 'parent') === MISSING) return false;
    const row = rows.location.get(r.id);
    const desired = { ...r.columns, parentId: r.parent };
    const changes = await forRecord(r.path, NAMES.locations, async () => {
      if (!row) return (await createLocationIn(this.tx, desired, { id: r.id })).changes;
      if (row.deletedAt) throw deletedRow(r.path, 'location', r.id);
      const patch = differences(row, desired);
      return patch ? (await updateLocationIn(this.tx, r.id, patch)).changes : [];
    });
    this.targets.set(r.id, { model: 'location', live: true });
    await this.session.record(changes);
    return true;
  }

  private async applyRack(r: RackRecord, rows: Rows): Promise<boolean> {
    if (this.targets.lookup(r.location, ['location'], r.path, 'location') === MISSING) return false;
    const row = rows.rack.get(r.id);
    const desired = { ...r.columns, locationId: r.location };
    const changes = await forRecord(r.path, NAMES.racks, async () => {
      if (!row) return (await createRackIn(this.tx, desired, { id: r.id })).changes;
      if (row.deletedAt) throw deletedRow(r.path, 'rack', r.id);
      const patch = differences(row, desired);
      return patch ? (await updateRackIn(this.tx, r.id, patch)).changes : [];
    });
    this.targets.set(r.id, { model: 'rack', live: true });
    await this.session.record(changes);
    return true;
  }

  // ---- devices, modules and FRUs -------------------------------------------------------------

  /** What a device's link fields refer to. */
  private linkTargets(link: NewDevice['link'], path: string): LinkTargets {
    const parent = this.targets.lookup(link.parent, parentModels(link), path, link.parentField);
    const mountedIn =
      parent !== null && parent !== MISSING && parent.model === 'device' ? this.targets.lookup(link.rack, ['rack'], path, 'rack') : null;
    return { parent, mountedIn, location: this.targets.lookup(link.location, ['location'], path, 'location') };
  }

  /**
   * Where the device goes: a rack parent takes the rack position as a column; so does a device
   * parent when the record also names the rack the device is mounted in (cani's derived `rack`);
   * otherwise the position is kept as a property. A v1alpha1 parent that is a location places
   * the device there. A target not there yet leaves the row's current placement for linkDevices.
   */
  private placement(link: NewDevice['link'], { parent, mountedIn, location }: LinkTargets, row: DeviceRow | undefined, properties: Json) {
    const props: Json = { ...properties };
    delete props[RACK_POSITION];
    let placed: { parentId: string | null; rackId: string | null; rackPosition: number | null };
    if (parent === MISSING || mountedIn === MISSING) {
      placed = { parentId: row?.parentId ?? null, rackId: row?.rackId ?? null, rackPosition: row?.rackPosition ?? null };
      const kept = (row?.properties as Json | undefined)?.[RACK_POSITION];
      if (kept !== undefined) props[RACK_POSITION] = kept;
    } else if (parent?.model === 'rack') {
      placed = { parentId: null, rackId: link.parent, rackPosition: link.rackPosition };
    } else if (mountedIn) {
      placed = { parentId: link.parent, rackId: link.rack, rackPosition: link.rackPosition };
    } else {
      placed = { parentId: parent?.model === 'device' ? link.parent : null, rackId: null, rackPosition: null };
      if (link.rackPosition !== null) props[RACK_POSITION] = link.rackPosition;
    }
    const inLocation = parent !== MISSING && parent?.model === 'location' ? link.parent : null;
    const locationId = location === MISSING ? (row?.locationId ?? null) : (inLocation ?? (location ? link.location : null));
    return {
      fields: { ...placed, locationId, properties: props },
      waiting: parent === MISSING || mountedIn === MISSING || location === MISSING,
    };
  }

  /**
   * The serial column is one live device's per manufacturer: a FRU record describing a module or
   * device of the file keeps its serial as `cani.serial`, and a FRU holding the serial of a
   * module or device read after it gives the column up (fru-serials.ts).
   */
  private async settleSerial(
    r: DeviceRecord,
    desired: { serialNumber: string | null; manufacturer: string | null; properties: Json },
    serials: SerialHolders,
  ): Promise<Change[]> {
    const serial = desired.serialNumber;
    if (!serial) return [];
    const holder = serials.get(desired.manufacturer, serial);
    if (!holder || holder.id === r.id) return [];
    if (r.section === 'frus' && !holder.fru) {
      desired.serialNumber = null;
      desired.properties = { ...desired.properties, 'cani.serial': serial };
      return [];
    }
    if (r.section === 'frus' || !holder.fru) return [];
    const properties = { ...holder.properties, 'cani.serial': serial };
    serials.delete(desired.manufacturer, serial);
    // A FRU of this batch not written yet gives up the serial before it is.
    const unwritten = this.pendingDevices.find((d) => d.created && d.device.record.id === holder.id)?.device;
    if (unwritten) {
      Object.assign(unwritten.desired, { serialNumber: null, properties });
      return [];
    }
    return (await updateDeviceIn(this.tx, holder.id, { serialNumber: null, properties })).changes;
  }

  /**
   * A device record: an existing row is given what differs at once; a new one waits for the
   * batch's other new devices (flushDevices), checked now so that its error names it in file order.
   */
  private async applyDevice(r: DeviceRecord, rows: Rows, serials: SerialHolders, synced: SyncedPosition | null): Promise<void> {
    const row = rows.device.get(r.id);
    const link = {
      section: r.section,
      parent: r.parent,
      parentField: r.parentField,
      parentMayBeLocation: r.parentMayBeLocation,
      rack: r.rack,
      rackPosition: r.rackPosition,
      location: r.location,
    };
    const others: Change[] = [...(synced?.changes ?? [])];
    const found = this.linkTargets(link, r.path);
    const ahead = row ? null : this.parentAhead(link, r.path, found);
    const { fields, waiting } = this.placement(link, ahead ?? found, row, r.columns.properties);
    const desired = { ...r.columns, providerMetadata: synced?.providerMetadata ?? r.columns.providerMetadata, ...fields };
    others.push(...(await this.settleSerial(r, desired, serials)));
    if (desired.serialNumber) serials.set(desired.manufacturer, desired.serialNumber, { id: r.id, properties: desired.properties });
    this.targets.set(r.id, { model: 'device', live: true });
    const specs = this.index.addSpecs(r.interfaces).map((spec) => ({ ...spec, id: spec.id as string }));
    for (const spec of specs)
      this.targets.set(spec.id, {
        model: 'interface',
        live: true,
        deviceId: r.id,
        deviceParentId: fields.parentId,
        name: spec.columns.name,
      });
    const device: NewDevice = { record: r, desired, link, synced, specs, waiting, others };
    if (!row) {
      await forRecord(r.path, deviceNames(r.parentField), async () => checkFields(desired, true));
      if (ahead) {
        const { id, path, section, parentField, parentMayBeLocation } = r;
        this.later.expect(link.parent as string, { id, path, section, parentField, parentMayBeLocation });
      }
      this.takeNew(device);
      return;
    }
    const patch = await forRecord(r.path, deviceNames(r.parentField), async () => {
      if (row.deletedAt) throw deletedRow(r.path, 'device', r.id);
      return differences(row, desired);
    });
    let changes: Change[] = [];
    if (patch) {
      // The patch may name a device of this batch (a new parent) that is not written yet.
      await this.flushDevices(rows);
      changes = await forRecord(r.path, deviceNames(r.parentField), async () => (await updateDeviceIn(this.tx, r.id, patch)).changes);
    }
    this.pendingDevices.push({ device, created: false, changes });
  }

  /**
   * What a new device whose parent is not there yet refers to if it is written now, linked: the
   * parent can only be a device (a module's or FRU's; a device's once every rack, and location if
   * it may name one, is written), and the rack it is mounted in and its location are there.
   * Null: it waits for the end.
   */
  private parentAhead(link: NewDevice['link'], path: string, found: LinkTargets): LinkTargets | null {
    if (found.parent !== MISSING || found.location === MISSING) return null;
    const onlyDevice = link.section !== 'devices' || (this.allRead('racks') && (!link.parentMayBeLocation || this.allRead('locations')));
    if (!onlyDevice) return null;
    // Under a device parent, the rack it is mounted in (cani's derived `rack`) must be there now.
    const mountedIn = this.targets.lookup(link.rack, ['rack'], path, 'rack');
    return mountedIn === MISSING ? null : { parent: { model: 'device', live: true }, mountedIn, location: found.location };
  }

  /** A new device to be written with this batch; the devices written under it before it are checked once it is. */
  private takeNew(device: NewDevice): void {
    this.pendingDevices.push({ device, created: true, changes: [] });
    this.later.written(device.record.id);
  }

  /** Once the file is read: a parent that never came is an error naming the first device written under it. */
  private async refuseMissingParent(): Promise<void> {
    const missing = this.later.firstMissing();
    if (!missing) return;
    const { parentId, child } = missing;
    await this.targets.load(this.tx, [parentId]);
    this.targets.required(parentId, parentModels(child), child.path, child.parentField);
    throw new Error(`unreachable: ${child.path} was written under ${parentId}, which is not a device`);
  }

  /**
   * Writes the new devices read since the last flush (one INSERT per tree level), then settles
   * them and the existing ones read with them.
   */
  private async flushDevices(rows: Rows): Promise<void> {
    const batch = this.pendingDevices.splice(0);
    if (batch.length === 0) return;
    const fresh = batch.filter((d) => d.created);
    const { changes } = await createDevicesIn(
      this.tx,
      fresh.map(({ device }) => ({ id: device.record.id, input: device.desired })),
      {
        itemError: (i, error) => renamedFor(error, fresh[i].device.record.path, deviceNames(fresh[i].device.record.parentField)),
        parentLater: (id) => this.later.awaits(id),
      },
    );
    const arrived = this.later.takeArrived();
    await checkLaterParents(
      this.tx,
      arrived.map(({ parentId, child }) => ({ id: child.id, parentId })),
      { itemError: (i, error) => renamedFor(error, arrived[i].child.path, deviceNames(arrived[i].child.parentField)) },
    );
    fresh.forEach((d, i) => {
      d.changes = [changes[i]];
    });
    await this.settleDevices(batch, rows);
  }

  /**
   * What follows devices' rows, for a batch of them at once: their positions, their inline
   * interfaces, then each device's changes filed (or its link deferred), in the batch's order.
   */
  private async settleDevices(written: Array<{ device: NewDevice; changes: Change[]; created: boolean }>, rows: Rows): Promise<void> {
    const installed = await this.positions.installAll(
      this.tx,
      written.flatMap(({ device }) => (device.synced ? [{ record: device.record, synced: device.synced }] : [])),
    );
    const specs = written.flatMap(({ device }) => device.specs);
    const interfaces = await writeInterfaces(this.tx, specs, rows.interface);
    const interfaceChanges = new Map(specs.map((spec, i) => [spec.id, interfaces[i]]));
    for (const { device, changes, created } of written) {
      const { record: r, others } = device;
      others.push(...(installed.get(r.id) ?? []));
      for (const spec of device.specs) others.push(...(interfaceChanges.get(spec.id) ?? []));
      if (!device.waiting) {
        await this.session.record([...combined(changes), ...others]);
        continue;
      }
      this.deviceLinks.set(r.id, {
        id: r.id,
        path: r.path,
        ...device.link,
        deferred: created ? { created: true } : { created: false, change: combined(changes)[0] },
        others,
      });
    }
  }

  /**
   * A key given again while its first record's link waits for the file's end: the first
   * record's change is filed now, as its row was written; the last record sets the link.
   */
  private async fileSuperseded(devices: DeviceRecord[], rows: Rows): Promise<void> {
    for (const { id } of devices) {
      const link = this.deviceLinks.get(id);
      const row = rows.device.get(id);
      if (!link || !row) continue;
      this.deviceLinks.delete(id);
      await this.session.record([...asWritten(link.deferred, row), ...link.others]);
    }
  }

  /** Once the file is read: the deferred links of a chunk of devices, checked and written together. */
  private async linkDevices(links: DeviceLink[], rows: Rows): Promise<void> {
    const planned = links.map((link) => {
      const { path } = link;
      const row = rows.device.get(link.id) as DeviceRow;
      if (link.parent) this.targets.required(link.parent, parentModels(link), path, link.parentField);
      if (link.location) this.targets.required(link.location, ['location'], path, 'location');
      if (link.rack && this.targets.get(link.parent ?? '')?.model === 'device') this.targets.required(link.rack, ['rack'], path, 'rack');
      const { fields } = this.placement(link, this.linkTargets(link, path), row, row.properties as Json);
      return { link, patch: differences(row, fields) };
    });
    const patched = planned.filter((p) => p.patch);
    const { changes } = await updateDevicesIn(
      this.tx,
      patched.map((p) => ({ id: p.link.id, input: p.patch as DeviceInput })),
      {
        itemError: (i, error) => renamedFor(error, patched[i].link.path, deviceNames(patched[i].link.parentField)),
        rows: rows.device,
      },
    );
    const changeOf = new Map(patched.map((p, i) => [p.link.id, changes[i]]));
    for (const { link } of planned) {
      const change = changeOf.get(link.id);
      await this.session.record([...withDeferred(link.deferred, change ? [change] : []), ...link.others]);
    }
  }

  // ---- interfaces, IP addresses and cables ---------------------------------------------------------

  /** A top-level interface record: read past when derived from an inline one, else taken to be written (or held). */
  private async takeInterface(record: InterfaceRecord, rows: Rows): Promise<void> {
    if (!this.inlineListsRead) {
      this.earlyInterfaces.push(record);
      return;
    }
    const resolved = this.index.resolve(record);
    // Read past, it files no change: in its turn, after the records taken before it.
    if (!resolved) this.pendingInterfaces.push(null);
    else if (!(await this.applyInterface(resolved, rows))) this.heldInterfaces.push(resolved);
  }

  /** Takes the interface to be written with its batch; false while its device is not there yet. */
  private async applyInterface(r: InterfaceRecord, rows: Rows): Promise<boolean> {
    if (this.targets.lookup(r.device, ['device'], r.path, 'deviceId') === MISSING) return false;
    const id = r.id as string;
    if (this.pendingInterfaceIds.has(id)) {
      // A second record for one interface is written after the first, over its row.
      await this.flushInterfaces(rows);
      const row = await this.tx.interface.findUnique({ where: { id } });
      if (row) rows.interface.set(id, row);
    }
    this.pendingInterfaces.push({ ...r, id });
    this.pendingInterfaceIds.add(id);
    this.targets.set(id, { model: 'interface', live: true, deviceId: r.device, name: r.columns.name });
    return true;
  }

  /** Takes the address to be written with its batch; false while one of its interfaces is not there yet. */
  private async applyIp(r: IpAddressRecord, final = false): Promise<boolean> {
    if (!this.ips.ready(r, final)) return false;
    this.pendingIps.push(r);
    return true;
  }

  /** Takes the cable to be written with its batch; false while a side named by UUID is not there yet. */
  private async applyCable(r: CableRecord, rows: Rows, final = false): Promise<boolean> {
    const prepared = this.cables.prepare(r, final);
    if (!prepared) return false;
    if (this.pendingCables.some((c) => c.record.id === r.id)) {
      // A second record for one cable is written after the first, over its row.
      await this.flushCables(rows);
      const row = await this.tx.cable.findUnique({ where: { id: r.id }, include: { terminations: true } });
      if (row) rows.cable.set(r.id, row);
    }
    this.pendingCables.push(prepared);
    return true;
  }

  /**
   * Writes the interface, IP address and cable records taken since the last flush, filing each
   * record's changes in file order: before a record of another section, and at a chunk's end.
   */
  private async flushPending(rows: Rows, next?: MappedRecord['section']): Promise<void> {
    if (next !== 'interfaces') await this.flushInterfaces(rows);
    if (next !== 'ipAddresses') await this.flushIps();
    if (next !== 'cables') await this.flushCables(rows);
  }

  private async flushInterfaces(rows: Rows): Promise<void> {
    const taken = this.pendingInterfaces.splice(0);
    if (taken.length === 0) return;
    this.pendingInterfaceIds.clear();
    const specs = taken.filter((r) => r !== null);
    // Ids derived here (not the record's key) are not among the rows read with the batch.
    const unread = specs.filter((r) => !rows.interface.has(r.id)).map((r) => r.id);
    const found = await findManyIn(this.tx, 'Interface', 'id', unread);
    const known = found.length
      ? new Map([...rows.interface, ...found.map((row): [string, Prisma.InterfaceGetPayload<object>] => [row.id, row])])
      : rows.interface;
    const written = await writeInterfaces(this.tx, specs, known);
    let next = 0;
    for (const r of taken) await this.session.record(r ? written[next++] : []);
  }

  private async flushIps(): Promise<void> {
    const taken = this.pendingIps.splice(0);
    if (taken.length === 0) return;
    for (const changes of await this.ips.applyAll(taken)) await this.session.record(changes);
  }

  private async flushCables(rows: Rows): Promise<void> {
    const taken = this.pendingCables.splice(0);
    if (taken.length === 0) return;
    const written = await this.cables.applyAll(taken, rows.cable);
    for (const [i, changes] of written.entries()) {
      if (changes) await this.session.record(changes);
      else this.heldCables.push(taken[i].record);
    }
  }
}
