// One cani record → the row it becomes: column values normalized the way the services store
// them (so an unchanged record compares equal), its properties, and the records it refers to
// by UUID (resolved when it is applied). Validation errors name `<section>.<uuid>.<field>`.
import { optionalMac } from '../../domain/mac.js';
import { oneOf, optionalOneOf, optionalText, requireText } from '../../domain/validate.js';
import { CABLE_STATUSES, DEVICE_STATUSES, LENGTH_UNITS, LOCATION_TYPES, RACK_FACES } from '../../domain/vocabulary.js';
import { type RecordFields, recordId } from './fields.js';
import { upgradeDevice } from './upgrade.js';
import { type DeviceKind, deviceTypeOf, type Section } from './vocabulary.js';

type Json = Record<string, unknown>;

interface Base {
  id: string;
  path: string;
}

export interface LocationRecord extends Base {
  section: 'locations';
  columns: {
    name: string;
    slug: string | null;
    locationType: string;
    description: string | null;
    properties: Json;
  };
  parent: string | null;
}

export interface RackRecord extends Base {
  section: 'racks';
  columns: {
    name: string;
    uHeight: number;
    status: string;
    serial: string | null;
    assetTag: string | null;
    properties: Json;
  };
  location: string | null;
}

export interface DeviceRecord extends Base {
  section: 'devices' | 'modules' | 'frus';
  columns: {
    deviceType: string;
    name: string | null;
    manufacturer: string | null;
    model: string | null;
    partNumber: string | null;
    serialNumber: string | null;
    assetTag: string | null;
    description: string | null;
    status: string;
    role: string | null;
    rackFace: string | null;
    providerMetadata: Json;
    externalIds: Json;
    /** Without `cani.rack_position`, which depends on whether the parent is a rack. */
    properties: Json;
  };
  /** A rack or a device (modules and FRUs: a device). */
  parent: string | null;
  /** The cani field the parent came from, for errors. */
  parentField: string;
  /** cani's derived `rack` of a device under another device: mounts it in that rack too. */
  rack: string | null;
  rackPosition: number | null;
  location: string | null;
}

export interface InterfaceRecord extends Base {
  section: 'interfaces';
  columns: {
    name: string | null;
    macAddress: string | null;
    description: string | null;
    mgmtOnly: boolean;
    properties: Json;
  };
  /** From interfaceType, when it says; otherwise left as it is (new: ethernet). */
  kind: string | null;
  device: string;
}

/** One side of a cable as the file gives it: an interface, or a device and port name. */
export interface CableEnd {
  interfaceId: string | null;
  deviceId: string | null;
  port: string | null;
}

export interface CableRecord extends Base {
  section: 'cables';
  columns: {
    label: string | null;
    cableType: string | null;
    status: string;
    color: string | null;
    length: number | null;
    lengthUnit: string | null;
    properties: Json;
  };
  ends: { A: CableEnd | null; B: CableEnd | null };
}

export type MappedRecord = LocationRecord | RackRecord | DeviceRecord | InterfaceRecord | CableRecord;

const at = (f: RecordFields, field: string) => `${f.path}.${field}`;

function text(f: RecordFields, field: string, max = 255): string | null {
  return optionalText(f.text(field), at(f, field), max) ?? null;
}

function mapLocation(id: string, f: RecordFields): LocationRecord {
  f.drop('children', 'racks');
  const rawType = f.text('locationType');
  const known = rawType === null ? 'site' : LOCATION_TYPES.find((t) => t === rawType.trim().toLowerCase());
  return {
    section: 'locations',
    id,
    path: f.path,
    parent: f.uuid('parent'),
    columns: {
      name: requireText(f.text('name'), at(f, 'name')),
      slug: text(f, 'slug', 100),
      locationType: known ?? 'other',
      description: text(f, 'description', 4000),
      properties: f.properties({ location_type: known ? null : rawType }),
    },
  };
}

function mapRack(id: string, f: RecordFields): RackRecord {
  f.drop('devices', 'occupiedSlots');
  return {
    section: 'racks',
    id,
    path: f.path,
    location: f.uuid('location'),
    columns: {
      name: requireText(f.text('name'), at(f, 'name')),
      uHeight: f.count('uHeight') ?? 42,
      status: text(f, 'status', 64) ?? 'active',
      serial: text(f, 'serial'),
      assetTag: text(f, 'assetTag'),
      properties: f.properties(),
    },
  };
}

const DEFAULT_TYPES: Record<DeviceRecord['section'], string> = {
  devices: 'Device',
  modules: 'module',
  frus: 'fru',
};
const KINDS: Record<DeviceRecord['section'], DeviceKind | null> = {
  devices: null,
  modules: 'module',
  frus: 'fru',
};

function mapDevice(section: DeviceRecord['section'], id: string, f: RecordFields): DeviceRecord {
  let parent: string | null;
  let parentField = 'parent';
  let fruLink: string | null = null;
  let rack: string | null = null;
  if (section === 'devices') {
    parent = f.uuid('parent');
    rack = f.uuid('rack');
  } else if (section === 'modules') {
    parentField = 'parentDevice';
    parent = f.uuid('parentDevice');
  } else {
    // A FRU sits in its `device`; one with only a `parent` hangs there (kept to write it back).
    parent = f.uuid('device');
    parentField = 'device';
    if (!parent) {
      parent = f.uuid('parent');
      parentField = 'parent';
      if (parent) fruLink = 'parent';
    }
  }
  const face = f.text('face');
  const rackFace = face ? (RACK_FACES.find((r) => r === face.trim().toLowerCase()) ?? null) : null;
  const caniType = f.text('type') ?? DEFAULT_TYPES[section];
  const status = f.text('status');
  return {
    section,
    id,
    path: f.path,
    parent,
    parentField,
    rack,
    rackPosition: f.count('rackPosition'),
    location: f.uuid('location'),
    columns: {
      deviceType: requireText(deviceTypeOf(caniType.trim()), at(f, 'type'), 64),
      name: text(f, 'name'),
      manufacturer: text(f, 'manufacturer'),
      model: text(f, 'model'),
      partNumber: text(f, 'partNumber'),
      serialNumber: text(f, 'serial'),
      assetTag: text(f, 'assetTag'),
      description: text(f, 'description', 4000),
      status: status === null ? 'active' : oneOf(status, DEVICE_STATUSES, at(f, 'status')),
      role: text(f, 'role', 64),
      rackFace,
      providerMetadata: f.object('providerMetadata'),
      externalIds: f.object('externalIDs'),
      properties: f.properties({
        kind: KINDS[section],
        face: rackFace ? null : face,
        fru_link: fruLink,
      }),
    },
  };
}

/** The interface kind an interfaceType implies, or null when it does not say. */
function kindOf(interfaceType: unknown): string | null {
  if (typeof interfaceType !== 'string') return null;
  const type = interfaceType.toLowerCase();
  if (type.startsWith('infiniband')) return 'infiniband';
  if (['virtual', 'bridge', 'lag', 'other'].includes(type)) return 'other';
  return /base-|gbase/.test(type) ? 'ethernet' : null;
}

function mapInterface(id: string, f: RecordFields): InterfaceRecord {
  f.drop('connectedCable');
  const device = f.uuid('deviceId');
  if (!device) throw f.error('deviceId', 'is required: an interface belongs to a device or module');
  return {
    section: 'interfaces',
    id,
    path: f.path,
    device,
    kind: kindOf(f.peek('interfaceType')),
    columns: {
      name: text(f, 'name', 64),
      macAddress: optionalMac(f.text('macAddress'), at(f, 'macAddress')) ?? null,
      description: text(f, 'description', 4000),
      mgmtOnly: f.bool('mgmtOnly'),
      properties: f.properties(),
    },
  };
}

function cableEnd(f: RecordFields, side: 'A' | 'B'): CableEnd | null {
  const end = {
    interfaceId: f.uuid(`termination${side}`),
    deviceId: f.uuid(`termination${side}Device`),
    port: f.text(`termination${side}Port`),
  };
  if (!end.interfaceId && !end.deviceId && !end.port) return null;
  if (!end.interfaceId && !end.port)
    throw f.error(`termination${side}Port`, `is required: side ${side} names a device but no port (give both, or termination${side})`);
  if (!end.interfaceId && !end.deviceId)
    throw f.error(`termination${side}Device`, `is required: side ${side} names a port but no device (give both, or termination${side})`);
  return end;
}

function mapCable(id: string, f: RecordFields): CableRecord {
  const status = f.text('status');
  const length = f.number('length');
  if (length !== null && length <= 0) throw f.error('length', 'must be greater than 0');
  const ends = { A: cableEnd(f, 'A'), B: cableEnd(f, 'B') };
  if (ends.A?.interfaceId && ends.A.interfaceId === ends.B?.interfaceId)
    throw f.error('terminationB', 'cannot be the same interface as terminationA');
  return {
    section: 'cables',
    id,
    path: f.path,
    ends,
    columns: {
      label: text(f, 'label'),
      cableType: text(f, 'cableType', 64),
      status: status === null ? 'connected' : oneOf(status, CABLE_STATUSES, at(f, 'status')),
      color: text(f, 'color', 64),
      length,
      lengthUnit: optionalOneOf(f.text('lengthUnit'), LENGTH_UNITS, at(f, 'lengthUnit')) ?? null,
      properties: f.properties(),
    },
  };
}

/** Maps one record of `section` (already upgraded to the current schema). */
export function mapRecord(section: Section, key: string, value: unknown): MappedRecord {
  const { id, fields } = recordId(
    section,
    key,
    section === 'devices' && value && typeof value === 'object' ? upgradeDevice(value as Json) : value,
  );
  switch (section) {
    case 'locations':
      return mapLocation(id, fields);
    case 'racks':
      return mapRack(id, fields);
    case 'devices':
    case 'modules':
    case 'frus':
      return mapDevice(section, id, fields);
    case 'interfaces':
      return mapInterface(id, fields);
    case 'cables':
      return mapCable(id, fields);
  }
}
