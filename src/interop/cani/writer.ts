// Applies mapped cani records through the services' `…In(tx, …)` writers, batch by batch.
//
// Idempotent: a record's row has the record's UUID as its id; an existing row is updated with
// only the fields that differ, so an unchanged record makes no change.
//
// Records may refer to records later in the file. Per batch, the rows of the batch and the
// targets of its references are read in a few queries; a reference to a row that does not
// exist yet is settled once the whole file has been read:
//   - a device (module, FRU) is written at once without the missing link, which is set at the
//     end (only its ids are kept); its change is filed then, as one change. Devices are what
//     most records refer to, so they must exist early;
//   - a location or rack (their names are unique per parent, so they cannot wait at the top
//     level), an interface (it cannot exist without its device) and a cable (nothing refers to
//     it, and writing it once is half the work of connecting it later) are held whole.

import { ConflictError, ValidationError } from '../../domain/errors.js';
import { stableJson } from '../../domain/stable-json.js';
import type { Change, ImportSession, Prisma, Tx } from '../../services/core/index.js';
import {
  connectCableIn,
  createCableIn,
  createDeviceIn,
  createInterfaceIn,
  createLocationIn,
  createRackIn,
  disconnectCableIn,
  updateCableIn,
  updateDeviceIn,
  updateInterfaceIn,
  updateLocationIn,
  updateRackIn,
} from '../../services/inventory/index.js';
import { type FieldNames, forRecord, missingTarget } from './errors.js';
import type { CableEnd, CableRecord, DeviceRecord, InterfaceRecord, LocationRecord, MappedRecord, RackRecord } from './records.js';

type Json = Record<string, unknown>;
type Model = 'location' | 'rack' | 'device' | 'interface';

interface Target {
  model: Model;
  live: boolean;
  /** Interfaces: their device and name, to check a cable side that also names them. */
  deviceId?: string | null;
  name?: string | null;
}

const MISSING = Symbol('missing');
type Lookup = Target | null | typeof MISSING;

type Deferred = { created: true } | { created: false; change?: Change };

interface DeviceLink {
  section: DeviceRecord['section'];
  id: string;
  parent: string | null;
  parentField: string;
  rack: string | null;
  rackPosition: number | null;
  location: string | null;
  deferred: Deferred;
}

const NAMES = {
  locations: { parentId: 'parent' },
  racks: { locationId: 'location' },
  interfaces: {},
  cables: { aInterfaceId: 'terminationA', bInterfaceId: 'terminationB' },
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

const WHAT: Record<Model, string> = {
  location: 'location',
  rack: 'rack',
  device: 'device or module',
  interface: 'interface',
};
const RACK_POSITION = 'cani.rack_position';
/** Rows read and references resolved per query. */
export const BATCH = 500;

const chunks = <T>(list: T[]) => Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => list.slice(i * BATCH, (i + 1) * BATCH));

/** The fields of `desired` whose values differ from `row`'s; null when none do. */
function differences<T extends Json>(row: Json, desired: T): Partial<T> | null {
  const patch: Json = {};
  for (const [field, value] of Object.entries(desired)) if (stableJson(row[field]) !== stableJson(value)) patch[field] = value;
  return Object.keys(patch).length ? (patch as Partial<T>) : null;
}

/** One record's changes to one row, as one change (created, or before → after). */
function combined(changes: Change[]): Change[] {
  if (changes.length <= 1) return changes;
  const first = changes[0];
  const last = changes[changes.length - 1];
  const action = first.action === 'created' ? 'created' : last.action;
  return [
    {
      entityType: first.entityType,
      entityId: first.entityId,
      action,
      before: first.action === 'created' ? undefined : first.before,
      after: last.after,
    },
  ];
}

function withDeferred(deferred: Deferred, changes: Change[]): Change[] {
  if (!deferred.created) return combined([...(deferred.change ? [deferred.change] : []), ...changes]);
  const last = changes[changes.length - 1];
  // A created row always gets its missing link here, so there is a change to report.
  if (!last) throw new Error('a deferred link of a created row changed nothing');
  return [
    {
      entityType: last.entityType,
      entityId: last.entityId,
      action: 'created',
      after: last.after,
    },
  ];
}

function deletedRow(path: string, what: string, id: string): ConflictError {
  return new ConflictError(`${path}.id`, `${path}: ${what} ${id} was deleted from the inventory; restore it before importing it again`);
}

type DeviceRow = Prisma.DeviceGetPayload<object>;
type CableRow = Prisma.CableGetPayload<{ include: { terminations: true } }>;

interface Rows {
  location: Map<string, Prisma.LocationGetPayload<object>>;
  rack: Map<string, Prisma.RackGetPayload<object>>;
  device: Map<string, DeviceRow>;
  interface: Map<string, Prisma.InterfaceGetPayload<object>>;
  cable: Map<string, CableRow>;
}

/** A device's parent is a rack or a device; a module's or FRU's, a device. */
const parentModels = (section: DeviceRecord['section']): Model[] => (section === 'devices' ? ['rack', 'device'] : ['device']);

export class CaniWriter {
  /** Rows known in the current batch: the targets of its references and what it wrote. */
  private known = new Map<string, Target>();
  private heldLocations: LocationRecord[] = [];
  private heldRacks: RackRecord[] = [];
  private heldInterfaces: InterfaceRecord[] = [];
  private deviceLinks: DeviceLink[] = [];
  private heldCables: CableRecord[] = [];

  constructor(private readonly session: ImportSession) {}

  private get tx(): Tx {
    return this.session.tx;
  }

  async applyBatch(records: MappedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = await this.loadRows(records.map((r) => [r.section, r.id]));
    await this.loadTargets(records.flatMap(referencesOf));
    for (const record of records) {
      switch (record.section) {
        case 'locations':
          if (!(await this.applyLocation(record, rows))) this.heldLocations.push(record);
          break;
        case 'racks':
          if (!(await this.applyRack(record, rows))) this.heldRacks.push(record);
          break;
        case 'interfaces':
          if (!(await this.applyInterface(record, rows))) this.heldInterfaces.push(record);
          break;
        case 'cables':
          if (!(await this.applyCable(record, rows))) this.heldCables.push(record);
          break;
        default:
          await this.applyDevice(record, rows);
      }
    }
    this.known.clear();
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
    for (const chunk of chunks(this.deviceLinks)) {
      const rows = await this.loadRows(chunk.map((l) => [l.section, l.id]));
      await this.loadTargets(chunk.flatMap((l) => [l.parent, l.rack, l.location]));
      for (const link of chunk) await this.linkDevice(link, rows);
      this.known.clear();
    }
    this.deviceLinks = [];
    await this.retryHeld(
      this.heldInterfaces,
      (r, rows) => this.applyInterface(r, rows),
      (r) => missingTarget(r.path, 'deviceId', r.device, 'device or module'),
    );
    // Cables refer to interfaces only, and nothing refers to a cable: one more pass settles them.
    await this.retryHeld(
      this.heldCables,
      (r, rows) => this.applyCable(r, rows, true),
      () => new Error('unreachable: a held cable is applied or refused'),
    );
  }

  /** Applies held records in rounds (a held location may wait for another); none applied in a round is an error. */
  private async retryHeld<R extends MappedRecord>(
    held: R[],
    apply: (r: R, rows: Rows) => Promise<boolean>,
    missing: (r: R) => Error,
  ): Promise<void> {
    let waiting = held.splice(0);
    while (waiting.length) {
      const next: R[] = [];
      for (const chunk of chunks(waiting)) {
        const rows = await this.loadRows(chunk.map((r) => [r.section, r.id]));
        await this.loadTargets(chunk.flatMap(referencesOf));
        for (const record of chunk) if (!(await apply(record, rows))) next.push(record);
        this.known.clear();
      }
      if (next.length === waiting.length) throw missing(next[0]);
      waiting = next;
    }
  }

  // ---- reads ------------------------------------------------------------------------------

  private async loadRows(keys: Array<[MappedRecord['section'], string]>): Promise<Rows> {
    const ids = (...sections: string[]) => keys.filter(([s]) => sections.includes(s)).map(([, id]) => id);
    const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((row) => [row.id, row]));
    const [locations, racks, devices, interfaces, cables] = [
      ids('locations'),
      ids('racks'),
      ids('devices', 'modules', 'frus'),
      ids('interfaces'),
      ids('cables'),
    ];
    return {
      location: byId(
        locations.length
          ? await this.tx.location.findMany({
              where: { id: { in: locations } },
            })
          : [],
      ),
      rack: byId(racks.length ? await this.tx.rack.findMany({ where: { id: { in: racks } } }) : []),
      device: byId(devices.length ? await this.tx.device.findMany({ where: { id: { in: devices } } }) : []),
      interface: byId(
        interfaces.length
          ? await this.tx.interface.findMany({
              where: { id: { in: interfaces } },
            })
          : [],
      ),
      cable: byId(
        cables.length
          ? await this.tx.cable.findMany({
              where: { id: { in: cables } },
              include: { terminations: true },
            })
          : [],
      ),
    };
  }

  /** Which model each referenced id is a row of (one query per table). */
  private async loadTargets(references: Array<string | null>): Promise<void> {
    const ids = [...new Set(references.filter((id): id is string => Boolean(id) && !this.known.has(id as string)))];
    if (ids.length === 0) return;
    const where = { id: { in: ids } };
    const select = { id: true, deletedAt: true } as const;
    const put = (
      model: Model,
      rows: Array<{
        id: string;
        deletedAt: Date | null;
        deviceId?: string | null;
        name?: string | null;
      }>,
    ) => {
      for (const row of rows)
        this.known.set(row.id, {
          model,
          live: row.deletedAt === null,
          deviceId: row.deviceId,
          name: row.name,
        });
    };
    put('location', await this.tx.location.findMany({ where, select }));
    put('rack', await this.tx.rack.findMany({ where, select }));
    put('device', await this.tx.device.findMany({ where, select }));
    put(
      'interface',
      await this.tx.interface.findMany({
        where,
        select: { ...select, deviceId: true, name: true },
      }),
    );
  }

  /** The live row `id` refers to (null: no reference; MISSING: not there yet). */
  private lookup(id: string | null, models: Model[], path: string, field: string): Lookup {
    if (!id) return null;
    const target = this.known.get(id);
    if (!target) return MISSING;
    if (!models.includes(target.model)) {
      throw new ValidationError(
        `${path}.${field}`,
        `refers to ${id}, which is a ${target.model}, not a ${models.map((m) => WHAT[m]).join(' or ')}`,
      );
    }
    if (!target.live)
      throw new ValidationError(`${path}.${field}`, `refers to ${target.model} ${id}, which was deleted from the inventory`);
    return target;
  }

  private required(id: string, models: Model[], path: string, field: string): Target {
    const target = this.lookup(id, models, path, field);
    if (target === MISSING || target === null) throw missingTarget(path, field, id, models.map((m) => WHAT[m]).join(' or '));
    return target;
  }

  // ---- locations and racks ------------------------------------------------------------------

  private async applyLocation(r: LocationRecord, rows: Rows): Promise<boolean> {
    if (this.lookup(r.parent, ['location'], r.path, 'parent') === MISSING) return false;
    const row = rows.location.get(r.id);
    const desired = { ...r.columns, parentId: r.parent };
    const changes = await forRecord(r.path, NAMES.locations, async () => {
      if (!row) return (await createLocationIn(this.tx, desired, { id: r.id })).changes;
      if (row.deletedAt) throw deletedRow(r.path, 'location', r.id);
      const patch = differences(row, desired);
      return patch ? (await updateLocationIn(this.tx, r.id, patch)).changes : [];
    });
    this.known.set(r.id, { model: 'location', live: true });
    await this.session.record(changes);
    return true;
  }

  private async applyRack(r: RackRecord, rows: Rows): Promise<boolean> {
    if (this.lookup(r.location, ['location'], r.path, 'location') === MISSING) return false;
    const row = rows.rack.get(r.id);
    const desired = { ...r.columns, locationId: r.location };
    const changes = await forRecord(r.path, NAMES.racks, async () => {
      if (!row) return (await createRackIn(this.tx, desired, { id: r.id })).changes;
      if (row.deletedAt) throw deletedRow(r.path, 'rack', r.id);
      const patch = differences(row, desired);
      return patch ? (await updateRackIn(this.tx, r.id, patch)).changes : [];
    });
    this.known.set(r.id, { model: 'rack', live: true });
    await this.session.record(changes);
    return true;
  }

  // ---- devices, modules and FRUs -------------------------------------------------------------

  /**
   * Where the device goes: a rack parent takes the rack position as a column; so does a device
   * parent when the record also names the rack the device is mounted in (cani's derived `rack`);
   * otherwise the position is kept as a property. A target not there yet leaves the row's
   * current placement for linkDevice to set.
   */
  private placement(link: Omit<DeviceLink, 'deferred' | 'id'>, path: string, row: DeviceRow | undefined, properties: Json) {
    const parent = this.lookup(link.parent, parentModels(link.section), path, link.parentField);
    const mountedIn =
      parent !== null && parent !== MISSING && parent.model === 'device' ? this.lookup(link.rack, ['rack'], path, 'rack') : null;
    const location = this.lookup(link.location, ['location'], path, 'location');
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
      placed = { parentId: parent ? link.parent : null, rackId: null, rackPosition: null };
      if (link.rackPosition !== null) props[RACK_POSITION] = link.rackPosition;
    }
    const locationId = location === MISSING ? (row?.locationId ?? null) : location ? link.location : null;
    return {
      fields: { ...placed, locationId, properties: props },
      waiting: parent === MISSING || mountedIn === MISSING || location === MISSING,
    };
  }

  private async applyDevice(r: DeviceRecord, rows: Rows): Promise<void> {
    const row = rows.device.get(r.id);
    const link = {
      section: r.section,
      parent: r.parent,
      parentField: r.parentField,
      rack: r.rack,
      rackPosition: r.rackPosition,
      location: r.location,
    };
    const { fields, waiting } = this.placement(link, r.path, row, r.columns.properties);
    const desired = { ...r.columns, ...fields };
    const changes = await forRecord(r.path, deviceNames(r.parentField), async () => {
      if (!row) return (await createDeviceIn(this.tx, desired, { id: r.id })).changes;
      if (row.deletedAt) throw deletedRow(r.path, 'device', r.id);
      const patch = differences(row, desired);
      return patch ? (await updateDeviceIn(this.tx, r.id, patch)).changes : [];
    });
    this.known.set(r.id, { model: 'device', live: true });
    if (!waiting) return this.session.record(combined(changes));
    this.deviceLinks.push({
      id: r.id,
      ...link,
      deferred: row ? { created: false, change: combined(changes)[0] } : { created: true },
    });
  }

  private async linkDevice(link: DeviceLink, rows: Rows): Promise<void> {
    const path = `${link.section}.${link.id}`;
    const row = rows.device.get(link.id) as DeviceRow;
    if (link.parent) this.required(link.parent, parentModels(link.section), path, link.parentField);
    if (link.location) this.required(link.location, ['location'], path, 'location');
    if (link.rack && this.known.get(link.parent ?? '')?.model === 'device') this.required(link.rack, ['rack'], path, 'rack');
    const { fields } = this.placement(link, path, row, row.properties as Json);
    const patch = differences(row, fields);
    const changes = patch
      ? await forRecord(path, deviceNames(link.parentField), async () => (await updateDeviceIn(this.tx, link.id, patch)).changes)
      : [];
    await this.session.record(withDeferred(link.deferred, changes));
  }

  // ---- interfaces ----------------------------------------------------------------------------

  private async applyInterface(r: InterfaceRecord, rows: Rows): Promise<boolean> {
    if (this.lookup(r.device, ['device'], r.path, 'deviceId') === MISSING) return false;
    const row = rows.interface.get(r.id);
    const desired = {
      ...r.columns,
      deviceId: r.device,
      ...(r.kind ? { kind: r.kind } : {}),
    };
    const changes = await forRecord(r.path, NAMES.interfaces, async () => {
      if (!row) return (await createInterfaceIn(this.tx, { ...desired, kind: r.kind ?? 'ethernet' }, { id: r.id })).changes;
      if (row.deletedAt) throw deletedRow(r.path, 'interface', r.id);
      const patch = differences(row, desired);
      return patch ? (await updateInterfaceIn(this.tx, r.id, patch)).changes : [];
    });
    this.known.set(r.id, {
      model: 'interface',
      live: true,
      deviceId: r.device,
      name: r.columns.name,
    });
    await this.session.record(changes);
    return true;
  }

  // ---- cables --------------------------------------------------------------------------------

  /** The interface of one side: by UUID (checked against the device and port it also names), or by device and port. */
  private async endInterface(path: string, side: 'A' | 'B', end: CableEnd | null): Promise<string | null | typeof MISSING> {
    if (!end) return null;
    const field = `termination${side}`;
    if (end.interfaceId) {
      const target = this.lookup(end.interfaceId, ['interface'], path, field);
      if (target === MISSING || target === null) return MISSING;
      if (end.deviceId && target.deviceId !== end.deviceId) {
        throw new ValidationError(
          `${path}.${field}Device`,
          `interface ${end.interfaceId} (${field}) belongs to ${target.deviceId ?? 'no device'}, not ${end.deviceId}`,
        );
      }
      if (end.port && target.name !== end.port) {
        throw new ValidationError(
          `${path}.${field}Port`,
          `interface ${end.interfaceId} (${field}) is named ${JSON.stringify(target.name)}, not ${JSON.stringify(end.port)}`,
        );
      }
      return end.interfaceId;
    }
    const found = await this.tx.interface.findFirst({
      where: { deviceId: end.deviceId, name: end.port, deletedAt: null },
      select: { id: true },
    });
    return found?.id ?? MISSING;
  }

  /**
   * Writes the cable with its sides; false when a side's interface is not there yet (the record
   * is held), or, once the file is read (`final`), an error naming that side.
   */
  private async applyCable(r: CableRecord, rows: Rows, final = false): Promise<boolean> {
    const wanted = { A: null as string | null, B: null as string | null };
    for (const side of ['A', 'B'] as const) {
      const end = r.ends[side];
      const found = await this.endInterface(r.path, side, end);
      if (found !== MISSING) {
        wanted[side] = found;
        continue;
      }
      if (!final) return false;
      const what = end?.interfaceId ? end.interfaceId : `port ${JSON.stringify(end?.port)} of ${end?.deviceId}`;
      throw missingTarget(r.path, end?.interfaceId ? `termination${side}` : `termination${side}Port`, what, 'interface');
    }
    const row = rows.cable.get(r.id);
    const changes = await forRecord(r.path, NAMES.cables, async () => {
      if (!row)
        return (await createCableIn(this.tx, { ...r.columns, aInterfaceId: wanted.A, bInterfaceId: wanted.B }, { id: r.id })).changes;
      if (row.deletedAt) throw deletedRow(r.path, 'cable', r.id);
      const patch = differences(row, r.columns);
      const updated = patch ? (await updateCableIn(this.tx, r.id, patch)).changes : [];
      return [...updated, ...(await this.setEnds(r.path, row, wanted))];
    });
    await this.session.record(combined(changes));
    return true;
  }

  /** Moves the cable's sides to the wanted interfaces: disconnect what differs, then connect. */
  private async setEnds(path: string, row: CableRow, wanted: { A: string | null; B: string | null }): Promise<Change[]> {
    const current = { A: null as string | null, B: null as string | null };
    for (const t of row.terminations) current[t.end as 'A' | 'B'] = t.interfaceId;
    const changes: Change[] = [];
    for (const side of ['A', 'B'] as const) {
      if (current[side] && current[side] !== wanted[side]) changes.push(...(await disconnectCableIn(this.tx, row.id, side)).changes);
    }
    for (const side of ['A', 'B'] as const) {
      const interfaceId = wanted[side];
      if (!interfaceId || current[side] === interfaceId) continue;
      const names = {
        interfaceId: `termination${side}`,
        end: `termination${side}`,
      };
      changes.push(...(await forRecord(path, names, async () => (await connectCableIn(this.tx, row.id, side, interfaceId)).changes)));
    }
    return changes;
  }
}

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
    default:
      return [r.parent, r.rack, r.location];
  }
}
