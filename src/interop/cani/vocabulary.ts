// The words of a Cray-HPE/cani inventory file: its schema versions, its record sections, and
// how its hardware `type` enum maps to our deviceType (the SMD/RFD spelling).

/** Versions read as they are; older lowercase ones are upgraded record by record (upgrade.ts). */
export const SCHEMA_VERSIONS = ['v1alpha2', 'v1alpha3', 'v1alpha4', 'v1alpha5', 'v1alpha6'] as const;
/** The legacy datastore ("Hardware" map), upgraded as cani's own migration does (legacy.ts). */
export const LEGACY_SCHEMA_VERSION = 'v1alpha1';
export const CURRENT_SCHEMA_VERSION = 'v1alpha6';
/** cani reads a document without a version as v1alpha2 (its first lowercase shape). */
export const DEFAULT_SCHEMA_VERSION = 'v1alpha2';

/** The record maps, keyed by UUID, in the order cani writes them. */
export const SECTIONS = ['locations', 'racks', 'devices', 'modules', 'cables', 'frus', 'interfaces', 'ipAddresses'] as const;
export type Section = (typeof SECTIONS)[number];
/** v1alpha1's one record map: every piece of hardware, keyed by UUID. */
export const LEGACY_SECTION = 'Hardware';
export type RecordSection = Section | typeof LEGACY_SECTION;
export const RECORD_SECTIONS: readonly RecordSection[] = [...SECTIONS, LEGACY_SECTION];

/** Optional maps and catalogs this gateway has no tables for: read past, not imported. */
export const SKIPPED_SECTIONS = ['prefixes', 'vlans', 'vrfs', 'metadata', 'providerMetadata'] as const;
/** Top-level scalars of a cani inventory (v1alpha1 spells them with a capital). */
export const HEADERS = ['schemaVersion', 'provider', 'SchemaVersion', 'Provider'] as const;

/** Go writes an unset uuid.UUID as this string rather than leaving the field out. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** cani hardware type → deviceType. Types not listed are kept as written, both ways. */
const DEVICE_TYPES: Record<string, string> = {
  rack: 'Rack',
  cabinet: 'Cabinet',
  chassis: 'Chassis',
  blade: 'ComputeModule',
  node: 'Node',
  nodecard: 'NodeCard',
  switch: 'Switch',
  'mgmt-switch': 'MgmtSwitch',
  'hsn-switch': 'HSNSwitch',
  'cabinet-pdu': 'CabinetPDU',
  cdu: 'CDU',
  module: 'Module',
  nic: 'NIC',
  gpu: 'GPU',
  cpu: 'Processor',
  memory: 'Memory',
  'power-supply': 'PowerSupply',
  cable: 'Cable',
  fru: 'FRU',
  cec: 'CEC',
  cmm: 'CMM',
  nodecontroller: 'NodeBMC',
  adapter: 'Adapter',
  transceiver: 'Transceiver',
};

const CANI_TYPES = new Map(Object.entries(DEVICE_TYPES).map(([cani, ours]) => [ours, cani]));

export function deviceTypeOf(caniType: string): string {
  return DEVICE_TYPES[caniType.toLowerCase()] ?? caniType;
}

export function caniTypeOf(deviceType: string): string {
  return CANI_TYPES.get(deviceType) ?? deviceType;
}

/** Which cani section a Device row is written to; kept in its properties as `cani.kind`. */
export type DeviceKind = 'device' | 'module' | 'fru';
