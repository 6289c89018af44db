// SMD Ethernet interfaces (/Inventory/EthernetInterfaces, CompEthInterfaceV2; the Fabrica
// EthernetInterface spec) ⇄ the SMD view of the interface service: a MAC, its IP addresses and
// the xname that owns it. The ID is the MAC in lower case without separators; ComponentID may
// name a position that does not exist (kept by name).
import { ValidationError } from '../../domain/errors.js';
import { normalizeMac } from '../../domain/mac.js';
import type { EthernetInterfaceFilter, EthernetInterfaceInput, IpAddressInput } from '../../services/inventory/index.js';
import { SMD_TEXTS, SmdRuleError, smdErrorOf } from './errors.js';
import { emptyAsNull, type FieldNames, type SmdDialect, smdObject, withoutUndefined } from './fields.js';
import { get, type Obj, objectAt, optArray, optString } from './go-json.js';
import { parseRfc3339, type QueryValues, smdMac, smdType, smdXname } from './values.js';

/** An interface of the SMD view (the interface service's EthernetInterfaceView fits). */
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

const BAD_IP = 'Invalid CompEthInterface IP Address';

export const ETHERNET_INTERFACE_TEXTS = {
  noSuch: 'no such component ethernet interface.',
  noSuchId: (id: string) => `No such component ethernet interface: ${id}`,
  noSuchIp: 'no such IP address in component ethernet interface.',
} as const;

// --- IDs and encoding -----------------------------------------------------------------------------

/** The SMD ID of a MAC address: lower case, no separators. */
export function ethernetInterfaceId(mac: string): string {
  return mac.replace(/[:.-]/g, '').toLowerCase();
}

/** The colon-form MAC an SMD interface ID stands for (12 hex digits, or already colon form), or undefined. */
export function macOfInterfaceId(id: string): string | undefined {
  const text = id.trim().toLowerCase();
  if (/^[0-9a-f]{12}$/.test(text)) return text.match(/../g)?.join(':');
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(text)) return text;
  return undefined;
}

export function ipAddressJson(entry: { address: string; network: string | null }): SmdIpAddress {
  return entry.network ? { IPAddress: entry.address, Network: entry.network } : { IPAddress: entry.address };
}

export function ethernetInterfaceJson(row: EthernetInterfaceRecord): SmdEthernetInterface {
  return {
    ID: ethernetInterfaceId(row.macAddress),
    Description: row.description ?? '',
    MACAddress: row.macAddress,
    LastUpdate: row.updatedAt.toISOString(),
    ComponentID: row.componentXname ?? '',
    Type: row.componentType ?? '',
    IPAddresses: row.ipAddresses.map(ipAddressJson),
  };
}

// --- decoding -----------------------------------------------------------------------------------

/** An IPAddresses entry of an /hsm/v2 body: IPAddress required, Network "" is none. */
function strictIpAddress(value: unknown, field: string): IpAddressInput {
  const entry = objectAt(value, field);
  const address = optString(entry, 'IPAddress');
  if (!address) throw new SmdRuleError(BAD_IP);
  const network = optString(entry, 'Network');
  return { address, network: network || null };
}

const strictIpAddresses = (body: Obj) => optArray(body, 'IPAddresses', undefined, 'array')?.map((e) => strictIpAddress(e, 'IPAddresses'));

function lenientIpAddresses(value: unknown): EthernetInterfaceInput['ipAddresses'] {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) throw new ValidationError('ipAddresses', 'must be a list of { IPAddress, Network }');
  return value.map((entry, i) => {
    const item = smdObject(entry, `ipAddresses.${i}`);
    return { address: get(item, 'IPAddress') as string, network: emptyAsNull(get(item, 'Network')) as string | null | undefined };
  });
}

/**
 * An interface body as a service input.
 * - strict (POST /Inventory/EthernetInterfaces): MACAddress is required and normalised by
 *   SMD's NormalizeVerifyMAC, ComponentID must be an xname, every IP address needs its
 *   IPAddress, each refused in SMD's words; the ID is ignored.
 * - lenient (Fabrica specs, SMD dumps; `at` names the value when it is not an object): the MAC
 *   comes from MACAddress, else from the ID, and when both are given they must name the same
 *   MAC; "" clears a field; keys not present stay undefined (left as they are by a replace).
 */
export function decodeEthernetInterface(value: unknown, dialect: SmdDialect, at = 'input'): EthernetInterfaceInput {
  if (dialect === 'strict') {
    const body = objectAt(value, '');
    const macAddress = smdMac(optString(body, 'MACAddress') ?? '');
    const componentId = optString(body, 'ComponentID');
    if (componentId && !smdXname(componentId)) throw new SmdRuleError('Invalid CompEthInterface component ID');
    const ipAddresses = strictIpAddresses(body);
    return { macAddress, description: optString(body, 'Description'), componentXname: componentId ?? null, ipAddresses };
  }
  const body = smdObject(value, at);
  const id = get(body, 'ID');
  const given = emptyAsNull(get(body, 'MACAddress')) ?? emptyAsNull(id);
  if (typeof id === 'string' && id !== '' && typeof given === 'string') {
    const fromId = normalizeMac(id);
    const fromMac = normalizeMac(given);
    if (!fromId) throw new ValidationError('ID', `must be the interface's MAC address without separators (got ${JSON.stringify(id)})`);
    if (fromMac && fromId !== fromMac)
      throw new ValidationError('ID', `${JSON.stringify(id)} is not the ID of MACAddress ${JSON.stringify(given)}`);
  }
  const componentId = get(body, 'ComponentID');
  return withoutUndefined({
    macAddress: given as string,
    description: emptyAsNull(get(body, 'Description')) as string | null | undefined,
    componentXname: componentId === undefined ? undefined : (emptyAsNull(componentId) as string | null),
    ipAddresses: lenientIpAddresses(get(body, 'IPAddresses')),
  });
}

/** Every field of a lenient interface: its own, else cleared (a PUT that replaces the whole spec, a dump's record). */
export function ethernetInterfaceReplacement(value: unknown, at = 'input'): EthernetInterfaceInput {
  return { description: null, componentXname: null, ipAddresses: [], ...decodeEthernetInterface(value, 'lenient', at) };
}

/** PATCH /Inventory/EthernetInterfaces/{id}: Description, ComponentID and IPAddresses, at least one of them. */
export function decodeEthernetInterfacePatch(value: unknown): {
  description: string | undefined;
  componentXname: string | undefined;
  ipAddresses: IpAddressInput[] | undefined;
} {
  const body = objectAt(value, '');
  const description = optString(body, 'Description');
  const componentXname = optString(body, 'ComponentID');
  const ipAddresses = strictIpAddresses(body);
  if (description === undefined && componentXname === undefined && ipAddresses === undefined)
    throw new SmdRuleError(SMD_TEXTS.noPatchField);
  return { description, componentXname, ipAddresses };
}

/** A PATCH's ComponentID, checked once the interface is known to exist (SMD's order). */
export function checkPatchComponentId(componentXname: string | undefined): void {
  if (componentXname !== undefined && !smdXname(componentXname)) throw new SmdRuleError(`bad query param: ${SMD_TEXTS.notAnXnameId}`);
}

/** POST /Inventory/EthernetInterfaces/{id}/IPAddresses: one address. */
export function decodeIpAddress(value: unknown): IpAddressInput {
  return strictIpAddress(objectAt(value, ''), '');
}

/** PATCH …/IPAddresses/{ip}: the new Network ("" or null: none), undefined when the body gives none. */
export function decodeIpAddressPatch(value: unknown): { network: string | null } | undefined {
  const body = objectAt(value, '');
  if (get(body, 'Network') === undefined) return undefined;
  return { network: optString(body, 'Network') ?? null };
}

/** GET's query parameters → the service filter (`ipaddr` is an alias of IPAddress: see the route). */
export function ethernetInterfaceFilterFromQuery(query: QueryValues): EthernetInterfaceFilter {
  const filter: EthernetInterfaceFilter = {};
  const ids = query.all('id');
  if (ids.length) {
    filter.ids = ids.map((id) => {
      if (id === '') throw new SmdRuleError('Invalid component ethernet interface ID.');
      return macOfInterfaceId(id) ?? `not a MAC: ${id}`;
    });
  }
  const macs = query.all('macaddress');
  if (macs.length) {
    filter.macAddresses = macs.map((mac) => {
      if (mac === '') throw new SmdRuleError('Invalid component ethernet interface MAC address.');
      const lower = mac.toLowerCase();
      return /^[0-9a-f]{2}([:-]?[0-9a-f]{2}){5}$/.test(lower) ? smdMac(lower) : lower;
    });
  }
  const ips = [...query.all('ipaddress'), ...query.all('ipaddr')];
  if (ips.length) filter.ipAddresses = ips.map((ip) => ip.trim().toLowerCase());
  const networks = query.all('network');
  if (networks.length) filter.networks = networks;
  for (const [name, key] of [
    ['olderthan', 'olderThan'],
    ['newerthan', 'newerThan'],
  ] as const) {
    const raw = query.get(name);
    if (raw === undefined || raw === '') continue;
    const date = parseRfc3339(raw);
    if (!date) throw new SmdRuleError(SMD_TEXTS.notRfc3339);
    filter[key] = date;
  }
  const xnames = query.all('componentid');
  if (xnames.length) {
    filter.componentXnames = xnames.map((x) => {
      if (x === '') return '';
      const xname = smdXname(x);
      if (!xname) throw new SmdRuleError('Invalid CompID.');
      return xname;
    });
  }
  const types = query.all('type');
  if (types.length) {
    filter.types = types.map((t) => {
      const type = smdType(t);
      if (!type) throw new SmdRuleError('Invalid HMS type.');
      return type;
    });
  }
  return filter;
}

// --- errors ---------------------------------------------------------------------------------------

/** How an interface write was asked for: SMD words its errors per route. */
export type EthernetInterfaceWrite = 'post' | 'patch' | 'delete' | 'post-ip' | 'patch-ip' | 'delete-ip';

/** A bad address from the service (not an IP) is SMD's IP-address error. */
const badInput = (e: { field?: string; message: string }) =>
  e.field?.toLowerCase().includes('address') && e.field !== 'macAddress' ? BAD_IP : e.message;

/** A write's service error in SMD's words (`id` is the URL's interface ID). */
export function ethernetInterfaceWriteError(write: EthernetInterfaceWrite, error: unknown, id = ''): unknown {
  const { noSuch, noSuchId, noSuchIp } = ETHERNET_INTERFACE_TEXTS;
  switch (write) {
    case 'post':
      return smdErrorOf(error, {
        CONFLICT: 'operation would conflict with an existing component ethernet interface that has the same MAC address.',
        BAD_USER_INPUT: badInput,
      });
    case 'patch':
      return smdErrorOf(error, { NOT_FOUND: noSuch, BAD_USER_INPUT: badInput });
    case 'delete':
      return smdErrorOf(error, { NOT_FOUND: noSuch });
    case 'post-ip':
      return smdErrorOf(error, {
        CONFLICT: 'operation would conflict with an existing IP Address on the same ethernet interface.',
        NOT_FOUND: noSuchId(id),
        BAD_USER_INPUT: BAD_IP,
      });
    case 'patch-ip':
      return smdErrorOf(error, { NOT_FOUND: noSuchIp });
    case 'delete-ip':
      return smdErrorOf(error, {
        NOT_FOUND: (e) => (e.field === 'address' ? 'component ethernet interface has no such ip address.' : noSuchId(id)),
      });
  }
}
