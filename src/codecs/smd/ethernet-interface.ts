// SMD EthernetInterface JSON (Inventory/EthernetInterfaces, Fabrica EthernetInterface spec)
// ⇄ the SMD EthernetInterfaces view of the interface service. The ID is the MAC in lower case
// without separators; ComponentID may name a position that does not exist (kept by name).
import { ValidationError } from '../../domain/errors.js';
import { normalizeMac } from '../../domain/mac.js';
import type { EthernetInterfaceInput } from '../../services/inventory/index.js';
import { emptyAsNull, type FieldNames, pick, smdObject, withoutUndefined } from './fields.js';

/** An interface of the SMD view (services/interface-queries EthernetInterfaceView fits). */
export interface EthernetInterfaceRecord {
  macAddress: string;
  description: string | null;
  updatedAt: Date;
  componentXname: string | null;
  componentType: string | null;
  ipAddresses: ReadonlyArray<{ address: string; network: string | null }>;
}

export interface SmdIpAddress {
  IPAddress: string;
  Network?: string;
}

/** SMD's CompEthInterfaceV2 JSON. */
export interface SmdEthernetInterface {
  ID: string;
  Description: string;
  MACAddress: string;
  LastUpdate: string;
  ComponentID: string;
  Type: string;
  IPAddresses: SmdIpAddress[];
}

export const ETHERNET_INTERFACE_FIELD_NAMES: FieldNames = {
  macAddress: 'MACAddress',
  description: 'Description',
  componentXname: 'ComponentID',
  ipAddresses: 'IPAddresses',
  address: 'IPAddress',
  network: 'Network',
  input: 'spec',
};

/** The SMD ID of a MAC address: lower case, no separators. */
export function ethernetInterfaceId(mac: string): string {
  return mac.replace(/[:.-]/g, '').toLowerCase();
}

export function smdIpAddress(entry: { address: string; network: string | null }): SmdIpAddress {
  return entry.network ? { IPAddress: entry.address, Network: entry.network } : { IPAddress: entry.address };
}

export function smdEthernetInterface(row: EthernetInterfaceRecord): SmdEthernetInterface {
  return {
    ID: ethernetInterfaceId(row.macAddress),
    Description: row.description ?? '',
    MACAddress: row.macAddress,
    LastUpdate: row.updatedAt.toISOString(),
    ComponentID: row.componentXname ?? '',
    Type: row.componentType ?? '',
    IPAddresses: row.ipAddresses.map(smdIpAddress),
  };
}

function ipAddressesFromSmd(value: unknown): EthernetInterfaceInput['ipAddresses'] {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) throw new ValidationError('ipAddresses', 'must be a list of { IPAddress, Network }');
  return value.map((entry, i) => {
    const item = smdObject(entry, `ipAddresses.${i}`);
    return { address: pick(item, 'IPAddress') as string, network: emptyAsNull(pick(item, 'Network')) as string | null | undefined };
  });
}

/**
 * An SMD EthernetInterface body as a service input. The MAC comes from MACAddress, else from
 * the ID; when both are given they must name the same MAC. Type and LastUpdate are derived.
 * Keys not present stay undefined (left as they are by a replace).
 */
export function ethernetInterfaceInputFromSmd(value: unknown, field = 'input'): EthernetInterfaceInput {
  const body = smdObject(value, field);
  const id = pick(body, 'ID');
  const given = emptyAsNull(pick(body, 'MACAddress')) ?? emptyAsNull(id);
  if (typeof id === 'string' && id !== '' && typeof given === 'string') {
    const fromId = normalizeMac(id);
    const fromMac = normalizeMac(given);
    if (!fromId) throw new ValidationError('ID', `must be the interface's MAC address without separators (got ${JSON.stringify(id)})`);
    if (fromMac && fromId !== fromMac)
      throw new ValidationError('ID', `${JSON.stringify(id)} is not the ID of MACAddress ${JSON.stringify(given)}`);
  }
  const componentId = pick(body, 'ComponentID');
  return withoutUndefined({
    macAddress: given as string,
    description: emptyAsNull(pick(body, 'Description')) as string | null | undefined,
    componentXname: componentId === undefined ? undefined : (emptyAsNull(componentId) as string | null),
    ipAddresses: ipAddressesFromSmd(pick(body, 'IPAddresses')),
  });
}

/** Every field of the interface: the body's, else cleared (a PUT that replaces the whole spec). */
export function ethernetInterfaceReplacementFromSmd(value: unknown, field = 'input'): EthernetInterfaceInput {
  return { description: null, componentXname: null, ipAddresses: [], ...ethernetInterfaceInputFromSmd(value, field) };
}
