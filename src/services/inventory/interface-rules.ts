// The rules every interface write keeps, shared by the writers for one interface
// (interface.ts) and for many (interface-bulk.ts): field and address checks, the unique keys
// (a MAC among live interfaces, a name per device), and the snapshot the change log records.
import { isIP } from 'node:net';
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, type InventoryError, ValidationError } from '../../domain/errors.js';
import { optionalMac } from '../../domain/mac.js';
import { optionalProperties } from '../../domain/property-keys.js';
import { defined, oneOf, optionalBoolean, optionalText } from '../../domain/validate.js';
import { INTERFACE_KINDS } from '../../domain/vocabulary.js';
import { type ItemError, itemErrorAsIs } from '../core/item-error.js';

export interface IpAddressInput {
  address: string;
  network?: string | null;
}

export interface InterfaceInput {
  deviceId?: string | null;
  /** The position that owns the interface (SMD ComponentID). */
  xname?: string | null;
  name?: string | null;
  kind?: string | null;
  macAddress?: string | null;
  description?: string | null;
  enabled?: boolean | null;
  mgmtOnly?: boolean | null;
  properties?: unknown;
  /** On update, replaces the whole set; null or [] clears it. */
  ipAddresses?: IpAddressInput[] | null;
}

export type InterfaceRow = Prisma.InterfaceGetPayload<object>;
export type IpAddressView = { address: string; network: string | null };

export const ENTITY = 'Interface';

/** The longest description an interface takes (characters). */
export const DESCRIPTION_CHARS = 4000;

/** The input's fields as the Interface row takes them; ValidationError naming the first bad one. */
export function checkFields(input: InterfaceInput) {
  return defined({
    name: optionalText(input.name, 'name', 64),
    kind: input.kind == null ? undefined : oneOf(input.kind, INTERFACE_KINDS, 'kind'),
    macAddress: optionalMac(input.macAddress, 'macAddress'),
    description: optionalText(input.description, 'description', DESCRIPTION_CHARS),
    enabled: optionalBoolean(input.enabled, 'enabled'),
    mgmtOnly: optionalBoolean(input.mgmtOnly, 'mgmtOnly'),
    properties: optionalProperties(input.properties) as Prisma.InputJsonObject | undefined,
  });
}

/** `prefix` locates the entry in the input: "" for a single address, "ipAddresses.2." in a list. */
export function checkIpAddress(entry: unknown, prefix: string): IpAddressView {
  const { address, network } = (entry ?? {}) as Partial<IpAddressInput>;
  if (typeof address !== 'string' || isIP(address.trim()) === 0) {
    throw new ValidationError(`${prefix}address`, `must be an IPv4 or IPv6 address (got ${JSON.stringify(address)})`);
  }
  return { address: address.trim().toLowerCase(), network: optionalText(network, `${prefix}network`, 64) ?? null };
}

/** An address set given at `field` (undefined: not given; null: cleared); an address twice is refused. */
export function checkIpAddresses(list: unknown, field = 'ipAddresses'): IpAddressView[] | undefined {
  if (list === undefined) return undefined;
  if (list === null) return [];
  if (!Array.isArray(list)) throw new ValidationError(field, 'must be a list of { address, network }');
  const checked = list.map((entry, i) => checkIpAddress(entry, `${field}.${i}.`));
  checked.forEach(({ address }, i) => {
    const first = checked.findIndex((c) => c.address === address);
    if (first < i) throw new ValidationError(`${field}.${i}.address`, `${address} is already entry ${first}`);
  });
  return checked;
}

/** The addresses of each interface, by address (one query). */
export async function addressesOf(tx: Tx, interfaceIds: string[]): Promise<Map<string, IpAddressView[]>> {
  const byInterface = new Map<string, IpAddressView[]>();
  if (interfaceIds.length === 0) return byInterface;
  const rows = await tx.ipAddress.findMany({
    where: { interfaceId: { in: [...new Set(interfaceIds)] } },
    select: { interfaceId: true, address: true, network: true },
    orderBy: [{ address: 'asc' }],
  });
  for (const { interfaceId, address, network } of rows) {
    const list = byInterface.get(interfaceId);
    if (list) list.push({ address, network });
    else byInterface.set(interfaceId, [{ address, network }]);
  }
  return byInterface;
}

/** The interface as the change log records it: the row with its addresses. */
export async function snapshot(tx: Tx, row: InterfaceRow) {
  return { ...row, ipAddresses: (await addressesOf(tx, [row.id])).get(row.id) ?? [] };
}

/** The unique keys an interface is to hold: its MAC among live interfaces, its name on its device. */
export interface InterfaceKeys {
  id: string;
  deviceId: string | null;
  name: string | null;
  macAddress: string | null;
}

/**
 * Refuses keys another live interface holds, or an earlier claim of the list. The interfaces
 * claiming keys let go of the ones they hold now (the claims are what they will hold); every
 * other live interface keeps its own. One query per key, for any number of claims.
 */
export async function refuseTakenKeys(tx: Tx, claims: InterfaceKeys[], itemError: ItemError = itemErrorAsIs): Promise<void> {
  if (claims.length === 0) return;
  const claiming = new Set(claims.map((c) => c.id));
  const macs = [...new Set(claims.flatMap((c) => (c.macAddress ? [c.macAddress] : [])))];
  const named = claims.filter((c) => c.deviceId && c.name);
  const [macHolders, nameHolders] = await Promise.all([
    macs.length
      ? tx.interface.findMany({ where: { deletedAt: null, macAddress: { in: macs } }, select: { id: true, macAddress: true } })
      : [],
    named.length
      ? tx.interface.findMany({
          where: {
            deletedAt: null,
            deviceId: { in: [...new Set(named.map((c) => c.deviceId as string))] },
            name: { in: [...new Set(named.map((c) => c.name as string))] },
          },
          select: { id: true, deviceId: true, name: true },
        })
      : [],
  ]);
  const nameKey = (deviceId: string | null, name: string | null) => `${deviceId}\u0000${name}`;
  const byMac = new Map(macHolders.filter((r) => !claiming.has(r.id)).map((r) => [r.macAddress as string, r.id]));
  const byName = new Map(nameHolders.filter((r) => !claiming.has(r.id)).map((r) => [nameKey(r.deviceId, r.name), r.id]));
  const refuse = (index: number, error: InventoryError) => {
    throw itemError(index, error);
  };
  for (const [index, claim] of claims.entries()) {
    const { id, deviceId, name, macAddress } = claim;
    if (macAddress) {
      const holder = byMac.get(macAddress);
      if (holder && holder !== id)
        refuse(index, new ConflictError('macAddress', `a live interface with MAC ${macAddress} already exists (Interface ${holder})`));
      byMac.set(macAddress, id);
    }
    if (deviceId && name) {
      const holder = byName.get(nameKey(deviceId, name));
      if (holder && holder !== id) {
        const description = `a live interface named ${JSON.stringify(name)} on device ${deviceId}`;
        refuse(index, new ConflictError('name', `${description} already exists (Interface ${holder})`));
      }
      byName.set(nameKey(deviceId, name), id);
    }
  }
}
