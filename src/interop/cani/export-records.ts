// One row → its cani record, in cani's vocabulary and spelling: the record's own fields, then
// the fields kept in its properties, then its customFields; unset values left out (cani's
// omitempty). What the gateway holds in other rows goes where cani keeps it: a device's SMD
// position, component state and memberships in providerMetadata.csm, its Redfish endpoint in
// providerMetadata.redfish, its interfaces in its inline `interfaces` list (provider-metadata.ts).
import type { Prisma } from '../../services/core/index.js';
import { fieldsFromProperties, isUnset } from './fields.js';
import { SPEC_SPELLING } from './interface-records.js';
import { compareNames } from './natural-order.js';
import {
  asObject,
  ENDPOINT_DEFAULTS,
  ENDPOINT_KEYS,
  POSITION_DEFAULTS,
  POSITION_KEYS,
  sameValue,
  withSubMap,
} from './provider-metadata.js';
import { caniCableStatus, caniDeviceStatus } from './statuses.js';
import { caniTypeOf, type DeviceKind, deviceTypeOf } from './vocabulary.js';

type Json = Record<string, unknown>;

type Kept = ReturnType<typeof fieldsFromProperties>;

/** The record from its own fields and its kept ones; `always` are written even when empty (cani has no omitempty there). */
function compact(own: Json, { fields, customFields }: Pick<Kept, 'fields' | 'customFields'>, always: string[] = []): Json {
  const record: Json = { ...own };
  for (const [key, value] of Object.entries(fields)) if (isUnset(record[key])) record[key] = value;
  record.customFields = customFields;
  return Object.fromEntries(Object.entries(record).filter(([key, value]) => !isUnset(value) || (always.includes(key) && value === '')));
}

export function locationRecord(row: Prisma.LocationGetPayload<object>): Json {
  const props = fieldsFromProperties(row.properties);
  const own = {
    id: row.id,
    name: row.name,
    slug: row.slug,
    locationType: props.managed.location_type ?? row.locationType,
    parent: row.parentId,
    description: row.description,
  };
  return compact(own, props, ['locationType']);
}

export function rackRecord(row: Prisma.RackGetPayload<object>): Json {
  const props = fieldsFromProperties(row.properties);
  const own = {
    id: row.id,
    name: row.name,
    uHeight: row.uHeight,
    location: row.locationId,
    status: row.status,
    serial: row.serial,
    assetTag: row.assetTag,
  };
  return compact(own, props);
}

export const kindOf = (row: { properties: unknown }): DeviceKind =>
  ((row.properties as Json | null)?.['cani.kind'] as DeviceKind | undefined) ?? 'device';

const DEFAULT_TYPES: Record<DeviceKind, string> = { device: 'Device', module: 'module', fru: 'fru' };

/** The cani type: the spelling kept while it still names the column's type ("" for none), else cani's word for it. */
function caniType(row: { deviceType: string }, kind: DeviceKind, kept: unknown): string {
  if (typeof kept === 'string' && deviceTypeOf(kept || DEFAULT_TYPES[kind]) === row.deviceType) return kept;
  return caniTypeOf(row.deviceType);
}

/** What the gateway holds about a device beside its row. */
export interface DeviceExtras {
  position?: Json & { xname: string };
  groups?: string[];
  partition?: string;
  endpoint?: Json;
  interfaces?: InterfaceRow[];
}

type DeviceRow = Prisma.DeviceGetPayload<object>;

/** providerMetadata.csm and .redfish from the rows that hold them, in the kept spelling where it still says the same. */
function providerMetadataOf(row: DeviceRow, extras: DeviceExtras): Json {
  let providerMetadata = { ...(asObject(row.providerMetadata) ?? {}) };
  const { position, endpoint } = extras;
  if (position) {
    const csm = { ...(asObject(providerMetadata.csm) ?? {}) };
    const put = (key: string, value: unknown) => {
      if (value === null || value === undefined) return;
      if (key in csm && sameValue(csm[key], value)) return;
      if (!(key in csm) && POSITION_DEFAULTS[key] === value) return;
      csm[key] = value;
    };
    put('xname', position.xname);
    for (const [key, field] of Object.entries(POSITION_KEYS)) put(key, position[field]);
    if (extras.groups?.length) csm.groups = extras.groups;
    if (extras.partition) csm.partition = extras.partition;
    providerMetadata = withSubMap(providerMetadata, 'csm', csm);
  }
  if (endpoint) {
    const redfish = { ...(asObject(providerMetadata.redfish) ?? {}) };
    for (const [key, field] of Object.entries(ENDPOINT_KEYS)) {
      const value = endpoint[field];
      if (value === null || value === undefined || (key in redfish && sameValue(redfish[key], value))) continue;
      if (!(key in redfish) && ENDPOINT_DEFAULTS[field] === value) continue;
      redfish[key] = value;
    }
    providerMetadata = withSubMap(providerMetadata, 'redfish', redfish);
  }
  return providerMetadata;
}

export function deviceRecord(row: DeviceRow, extras: DeviceExtras = {}): Json {
  const props = fieldsFromProperties(row.properties);
  const { managed, fields } = props;
  const kind = kindOf(row);
  const link =
    kind === 'module'
      ? { parentDevice: row.parentId }
      : kind === 'fru'
        ? { [managed.fru_link === 'parent' ? 'parent' : 'device']: row.parentId }
        : { parent: row.parentId ?? row.rackId, rack: row.parentId ? row.rackId : null };
  const inline = kind === 'fru' ? [] : inlineInterfaces(extras.interfaces ?? []);
  return compact(
    {
      id: row.id,
      name: row.name,
      type: caniType(row, kind, fields.type),
      manufacturer: row.manufacturer,
      model: row.model,
      partNumber: row.partNumber,
      serial: row.serialNumber,
      assetTag: row.assetTag,
      description: row.description,
      status: caniDeviceStatus(row.status, fields.status),
      role: row.role,
      ...link,
      rackPosition: row.rackPosition ?? managed.rack_position,
      face: row.rackFace ?? managed.face,
      location: row.locationId,
      providerMetadata: providerMetadataOf(row, extras),
      externalIDs: row.externalIds,
      interfaces: inline,
    },
    props,
  );
}

export type InterfaceRow = Prisma.InterfaceGetPayload<object> & { position?: string | null };

/** Interfaces given only as top-level records stay there; the others are in their device's inline list. */
export const isInline = (row: InterfaceRow) => (row.properties as Json | null)?.['cani.inline'] !== false;

/** An interface as a record of the top-level map. */
export function interfaceRecord(row: InterfaceRow): Json {
  const props = fieldsFromProperties(row.properties);
  let providerMetadata = asObject(props.fields.providerMetadata);
  if (row.position) {
    const csm = { ...(asObject(providerMetadata?.csm) ?? {}) };
    if (!sameValue(csm.xname, row.position)) csm.xname = row.position;
    providerMetadata = withSubMap(providerMetadata ?? {}, 'csm', csm);
  }
  return compact(
    {
      id: row.id,
      name: row.name,
      interfaceType: props.fields.interfaceType ?? (row.kind === 'ethernet' ? null : row.kind),
      deviceId: row.deviceId,
      mgmtOnly: row.mgmtOnly || undefined,
      macAddress: row.macAddress,
      description: row.description,
      providerMetadata,
    },
    props,
  );
}

/** A device's inline list: the order the file gave, else the names' natural order. */
function inlineInterfaces(rows: InterfaceRow[]): Json[] {
  const index = (row: InterfaceRow) => (row.properties as Json | null)?.['cani.spec_index'];
  const ordered = rows.filter(isInline).sort((a, b) => {
    const [ia, ib] = [index(a), index(b)];
    if (typeof ia === 'number' || typeof ib === 'number')
      return (typeof ia === 'number' ? ia : Infinity) - (typeof ib === 'number' ? ib : Infinity) || 0;
    return compareNames(a.name ?? '', b.name ?? '') || (a.id < b.id ? -1 : 1);
  });
  return ordered.map((row) => {
    const { deviceId: _device, ...record } = interfaceRecord(row);
    const spec: Json = {};
    for (const [key, value] of Object.entries(record)) {
      const theirs = SPEC_SPELLING[key] ?? key;
      spec[theirs] = value;
    }
    return spec;
  });
}

type CableRow = Prisma.CableGetPayload<{
  include: { terminations: { include: { interface: { select: { deviceId: true; name: true } } } } };
}>;

export function cableRecord(row: CableRow): Json {
  const props = fieldsFromProperties(row.properties);
  const sides: Json = {};
  for (const t of row.terminations) {
    sides[`termination${t.end}`] = t.interfaceId;
    sides[`termination${t.end}Device`] = t.interface.deviceId;
    sides[`termination${t.end}Port`] = t.interface.name;
  }
  return compact(
    {
      id: row.id,
      label: row.label,
      cableType: row.cableType,
      status: caniCableStatus(row.status, props.fields.status),
      color: row.color,
      length: row.length,
      lengthUnit: row.lengthUnit,
      ...sides,
    },
    props,
  );
}
