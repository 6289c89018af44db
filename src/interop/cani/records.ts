// One cani record → the row it becomes: column values normalized the way the services store
// them (so an unchanged record compares equal), its properties, and the records it refers to
// by UUID (resolved when it is applied). Validation errors name `<section>.<uuid>.<field>`.
// Devices, modules and FRUs: device-records.ts; interfaces: interface-records.ts.
import { isIP } from 'node:net';
import { ValidationError } from '../../domain/errors.js';
import { optionalOneOf, optionalText, requireText } from '../../domain/validate.js';
import { LENGTH_UNITS, LOCATION_TYPES } from '../../domain/vocabulary.js';
import { type DeviceRecord, type DeviceSection, mapDevice } from './device-records.js';
import { type RecordFields, recordId } from './fields.js';
import { type InterfaceRecord, mapInterfaceRecord } from './interface-records.js';
import { asObject } from './provider-metadata.js';
import { cableStatus } from './statuses.js';
import { upgradeDevice } from './upgrade.js';
import { LEGACY_SECTION, NIL_UUID, type Section, UUID_PATTERN } from './vocabulary.js';

type Json = Record<string, unknown>;

interface Base {
  id: string;
  path: string;
}

export type { DeviceRecord, InterfaceRecord };

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

/** An IP address of cani's IPAM map, on the interfaces it is assigned to. */
export interface IpAddressRecord extends Base {
  section: 'ipAddresses';
  /** Without its prefix length, as the gateway keeps it. */
  address: string;
  /** SMD's network name (providerMetadata.csm.network), when given. */
  network: string | null;
  interfaces: string[];
}

export type MappedRecord = LocationRecord | RackRecord | DeviceRecord | InterfaceRecord | CableRecord | IpAddressRecord;

function text(f: RecordFields, field: string, max = 255): string | null {
  return optionalText(f.text(field), f.at(field), max) ?? null;
}

function mapLocation(id: string, f: RecordFields): LocationRecord {
  f.drop('children', 'racks');
  // cani writes locationType always: "" is kept as "" (cani's Nautobot export refuses it).
  const empty = f.peek('locationType') === '';
  const rawType = f.text('locationType');
  const known = rawType === null ? (empty ? undefined : 'site') : LOCATION_TYPES.find((t) => t === rawType.trim().toLowerCase());
  return {
    section: 'locations',
    id,
    path: f.path,
    parent: f.uuid('parent'),
    columns: {
      name: requireText(f.text('name'), f.at('name')),
      slug: text(f, 'slug', 100),
      locationType: known ?? 'other',
      description: text(f, 'description', 4000),
      properties: f.properties({ location_type: known ? null : (rawType ?? '') }),
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
      name: requireText(f.text('name'), f.at('name')),
      uHeight: f.count('uHeight') ?? 42,
      status: text(f, 'status', 64) ?? 'active',
      serial: text(f, 'serial'),
      assetTag: text(f, 'assetTag'),
      properties: f.properties(),
    },
  };
}

/**
 * One side of a cable. A side on something other than an interface (terminationAType
 * "dcim.powerport", "dcim.consoleport" …: the gateway cables interfaces only) is kept as
 * written, with the cable's other fields, and connects nothing.
 */
function cableEnd(f: RecordFields, side: 'A' | 'B'): CableEnd | null {
  const type = f.peek(`termination${side}Type`);
  if (typeof type === 'string' && type !== '' && type !== 'dcim.interface') return null;
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
  const status = cableStatus(f.text('status'), f.at('status'));
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
      status: status.column,
      color: text(f, 'color', 64),
      length,
      lengthUnit: optionalOneOf(f.text('lengthUnit'), LENGTH_UNITS, f.at('lengthUnit')) ?? null,
      properties: f.properties({ status: status.original }),
    },
  };
}

/** The host of `host` ("10.0.0.1") or of `address` ("10.0.0.1/24"). */
function hostOf(f: RecordFields): string {
  const host = f.text('host');
  const address = f.text('address');
  const field = host !== null ? 'host' : 'address';
  const ip = (host ?? address?.replace(/\/\d+$/, '') ?? '').trim();
  if (isIP(ip) === 0) throw f.error(field, `must be an IPv4 or IPv6 address (got ${JSON.stringify((host ?? address ?? '').slice(0, 45))})`);
  return ip.toLowerCase();
}

function mapIpAddress(id: string, f: RecordFields): IpAddressRecord {
  const address = hostOf(f);
  const listed = f.take('interfaces');
  if (listed !== undefined && listed !== null && !Array.isArray(listed)) throw f.error('interfaces', 'must be a list of interface UUIDs');
  const interfaces = ((listed as unknown[] | undefined) ?? []).map((value, i) => {
    if (typeof value !== 'string' || !UUID_PATTERN.test(value)) throw f.error(`interfaces.${i}`, 'must be an interface UUID');
    return value.toLowerCase();
  });
  const network = asObject(asObject(f.object('providerMetadata'))?.csm)?.network;
  if (network !== undefined && network !== null && typeof network !== 'string')
    throw f.error('providerMetadata.csm.network', 'must be a network name');
  return {
    section: 'ipAddresses',
    id,
    path: f.path,
    address,
    network: optionalText(network, f.at('providerMetadata.csm.network'), 64) ?? null,
    interfaces: [...new Set(interfaces.filter((ref) => ref !== NIL_UUID))],
  };
}

export interface MapOptions {
  /** Upgraded from this v1alpha1 Hardware entry: errors name it, and a device's parent may be the System location. */
  legacyKey?: string;
}

/** Fields of an upgraded v1alpha1 record → the Hardware entry's field they came from. */
const LEGACY_SPELLING: Record<string, string> = {
  name: 'Name',
  slug: 'DeviceTypeSlug',
  vendor: 'Vendor',
  manufacturer: 'Vendor',
  model: 'Model',
  status: 'Status',
  parent: 'Parent',
  type: 'Type',
  providerMetadata: 'ProviderMetadata',
};

/** Maps one record of `section` (already upgraded to the current schema). */
export function mapRecord(section: Section, key: string, value: unknown, options: MapOptions = {}): MappedRecord {
  const raw = section === 'devices' && value && typeof value === 'object' && !Array.isArray(value) ? upgradeDevice(value as Json) : value;
  // cani's interfaces map is rebuilt from the devices' lists on load, so its nil key is a placeholder like theirs.
  const legacy = options.legacyKey === undefined ? {} : { path: `${LEGACY_SECTION}.${options.legacyKey}`, spelled: LEGACY_SPELLING };
  const { id, fields } = recordId(section, key, raw, { nilAllowed: section === 'interfaces', ...legacy });
  switch (section) {
    case 'locations':
      return mapLocation(id, fields);
    case 'racks':
      return mapRack(id, fields);
    case 'devices':
    case 'modules':
    case 'frus':
      return mapDevice(section as DeviceSection, id, fields, options.legacyKey !== undefined);
    case 'interfaces':
      return mapInterfaceRecord(id === NIL_UUID ? null : id, fields);
    case 'cables':
      return mapCable(id, fields);
    case 'ipAddresses':
      return mapIpAddress(id, fields);
    default:
      throw new ValidationError(section, 'is not a record section');
  }
}
