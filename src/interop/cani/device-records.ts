// A cani device, module or FRU record → one Device row (modules and FRUs are devices too, told
// apart by `cani.kind`), with what its providerMetadata says about its SMD position and Redfish
// endpoint, and the interfaces of its inline list.
import { isRedfishEndpointType } from '../../domain/redfish-endpoint-types.js';
import { optionalText, requireText } from '../../domain/validate.js';
import { RACK_FACES } from '../../domain/vocabulary.js';
import { parseXname } from '../../domain/xname.js';
import type { RecordFields } from './fields.js';
import { type InterfaceRecord, mapInterfaceSpecs } from './interface-records.js';
import { inNaturalOrder } from './natural-order.js';
import { asObject, ENDPOINT_KEYS, POSITION_KEYS } from './provider-metadata.js';
import { deviceStatus } from './statuses.js';
import { caniTypeOf, type DeviceKind, deviceTypeOf } from './vocabulary.js';

type Json = Record<string, unknown>;

export type DeviceSection = 'devices' | 'modules' | 'frus';

/** The SMD position a device's providerMetadata.csm names, with the component fields it gives. */
export interface PositionRequest {
  xname: string;
  /** Component fields (ComponentFields names) as written. */
  fields: Json;
  /** Group labels / partition name, when the record gives them (undefined: not given). */
  groups?: string[];
  partition?: string | null;
}

export interface DeviceRecord {
  section: DeviceSection;
  id: string;
  path: string;
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
    /** As written; the writer leaves out what the position and endpoint rows then hold. */
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
  /** v1alpha1: a parent that is a location (the System root) places the device there. */
  parentMayBeLocation: boolean;
  position: PositionRequest | null;
  /** Redfish endpoint fields (RedfishEndpointFields names) for the BMC at the position. */
  endpoint: Json | null;
  interfaces: InterfaceRecord[];
}

const DEFAULT_TYPES: Record<DeviceSection, string> = { devices: 'Device', modules: 'module', frus: 'fru' };
const KINDS: Record<DeviceSection, DeviceKind | null> = { devices: null, modules: 'module', frus: 'fru' };

function text(f: RecordFields, field: string, max = 255): string | null {
  return optionalText(f.text(field), f.at(field), max) ?? null;
}

function positionOf(f: RecordFields, providerMetadata: Json): PositionRequest | null {
  const csm = asObject(providerMetadata.csm);
  if (!csm || !('xname' in csm)) return null;
  const at = (key: string) => `providerMetadata.csm.${key}`;
  if (typeof csm.xname !== 'string' || !parseXname(csm.xname))
    throw f.error(at('xname'), `must be an xname such as x1000c0s0b0n0 (got ${JSON.stringify(csm.xname)?.slice(0, 40)})`);
  const fields: Json = {};
  for (const [key, field] of Object.entries(POSITION_KEYS)) if (key in csm) fields[field] = csm[key];
  const position: PositionRequest = { xname: csm.xname, fields };
  if ('groups' in csm) {
    const groups = csm.groups;
    if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) throw f.error(at('groups'), 'must be a list of group labels');
    position.groups = groups as string[];
  }
  if ('partition' in csm) {
    if (csm.partition !== null && typeof csm.partition !== 'string') throw f.error(at('partition'), 'must be a partition name');
    position.partition = csm.partition as string | null;
  }
  return position;
}

/** The endpoint a BMC's providerMetadata.redfish describes (only a controller's position has one). */
function endpointOf(position: PositionRequest | null, providerMetadata: Json): Json | null {
  const redfish = asObject(providerMetadata.redfish);
  const parsed = position ? parseXname(position.xname) : undefined;
  if (!redfish || !parsed || !isRedfishEndpointType(parsed.type)) return null;
  const fields: Json = {};
  for (const [key, field] of Object.entries(ENDPOINT_KEYS)) if (key in redfish) fields[field] = redfish[key];
  return Object.keys(fields).length ? fields : null;
}

/** The type column, and the cani spelling when the column would not give it back ("" for none). */
function typeOf(f: RecordFields, section: DeviceSection) {
  const raw = f.take('type');
  if (raw !== undefined && raw !== null && typeof raw !== 'string') throw f.error('type', 'must be a string');
  const written = typeof raw === 'string' ? raw.trim() : '';
  const deviceType = requireText(deviceTypeOf(written || DEFAULT_TYPES[section]), f.at('type'), 64);
  return { deviceType, spelling: written === caniTypeOf(deviceType) ? null : written };
}

export function mapDevice(section: DeviceSection, id: string, f: RecordFields, legacy = false): DeviceRecord {
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
  const type = typeOf(f, section);
  const status = deviceStatus(f.text('status'), f.at('status'));
  const providerMetadata = f.object('providerMetadata');
  const position = positionOf(f, providerMetadata);
  const interfaces = section === 'frus' ? [] : f.take('interfaces');
  return {
    section,
    id,
    path: f.path,
    parent,
    parentField,
    rack,
    rackPosition: f.count('rackPosition'),
    location: f.uuid('location'),
    parentMayBeLocation: legacy,
    position,
    endpoint: endpointOf(position, providerMetadata),
    interfaces: mapInterfaceSpecs({ path: f.path, id, parentDevice: section === 'modules' ? parent : null }, interfaces, inNaturalOrder),
    columns: {
      deviceType: type.deviceType,
      name: text(f, 'name'),
      manufacturer: text(f, 'manufacturer'),
      model: text(f, 'model'),
      partNumber: text(f, 'partNumber'),
      serialNumber: text(f, 'serial'),
      assetTag: text(f, 'assetTag'),
      description: text(f, 'description', 4000),
      status: status.column,
      role: text(f, 'role', 64),
      rackFace,
      providerMetadata,
      externalIds: f.object('externalIDs'),
      properties: f.properties({
        kind: KINDS[section],
        face: rackFace ? null : face,
        fru_link: fruLink,
        type: type.spelling,
        status: status.original,
      }),
    },
  };
}
