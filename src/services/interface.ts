// Interfaces: network ports of a device and/or an xname position, with their IP addresses.
import { isIP } from 'node:net';
import type { Prisma, Tx } from '../db/client.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { optionalMac } from '../domain/mac.js';
import { optionalProperties } from '../domain/property-keys.js';
import { defined, oneOf, optionalBoolean, optionalText } from '../domain/validate.js';
import { INTERFACE_KINDS } from '../domain/vocabulary.js';
import { normalizeXname } from '../domain/xname.js';
import type { ChangeAction } from './change-log.js';
import type { ServiceContext } from './context.js';
import { assertKeyFree, findAny, findLive, findLiveByXname, restored, softDeleted } from './lookup.js';
import { write } from './transaction.js';

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

type InterfaceRow = Prisma.InterfaceGetPayload<object>;

const ENTITY = 'Interface';

function checkFields(input: InterfaceInput) {
  return defined({
    name: optionalText(input.name, 'name', 64),
    kind: input.kind == null ? undefined : oneOf(input.kind, INTERFACE_KINDS, 'kind'),
    macAddress: optionalMac(input.macAddress, 'macAddress'),
    description: optionalText(input.description, 'description', 4000),
    enabled: optionalBoolean(input.enabled, 'enabled'),
    mgmtOnly: optionalBoolean(input.mgmtOnly, 'mgmtOnly'),
    properties: optionalProperties(input.properties) as Prisma.InputJsonObject | undefined,
  });
}

/** `prefix` locates the entry in the input: "" for a single address, "ipAddresses.2." in a list. */
function checkIpAddress(entry: unknown, prefix: string) {
  const { address, network } = (entry ?? {}) as Partial<IpAddressInput>;
  if (typeof address !== 'string' || isIP(address.trim()) === 0) {
    throw new ValidationError(`${prefix}address`, `must be an IPv4 or IPv6 address (got ${JSON.stringify(address)})`);
  }
  return { address: address.trim().toLowerCase(), network: optionalText(network, `${prefix}network`, 64) ?? null };
}

function checkIpAddresses(list: unknown) {
  if (list === undefined) return undefined;
  if (list === null) return [];
  if (!Array.isArray(list)) throw new ValidationError('ipAddresses', 'must be a list of { address, network }');
  const checked = list.map((entry, i) => checkIpAddress(entry, `ipAddresses.${i}.`));
  checked.forEach(({ address }, i) => {
    const first = checked.findIndex((c) => c.address === address);
    if (first < i) throw new ValidationError(`ipAddresses.${i}.address`, `${address} is already entry ${first}`);
  });
  return checked;
}

async function componentIdOf(tx: Tx, xname: string | null) {
  return xname === null ? null : (await findLiveByXname(tx, 'component', normalizeXname(xname))).id;
}

/** The device and position the interface will belong to: the input's, else the current ones. */
async function resolveOwner(tx: Tx, input: InterfaceInput, before?: InterfaceRow) {
  const xname = optionalText(input.xname, 'xname', 64);
  if (input.deviceId) await findLive(tx, 'device', input.deviceId, 'deviceId');
  const owner = {
    deviceId: input.deviceId === undefined ? (before?.deviceId ?? null) : input.deviceId,
    componentId: xname === undefined ? (before?.componentId ?? null) : await componentIdOf(tx, xname),
  };
  if (!owner.deviceId && !owner.componentId) {
    throw new ValidationError('deviceId', 'an interface belongs to a device (deviceId), a position (xname) or both: give at least one');
  }
  return owner;
}

async function checkKeysFree(tx: Tx, id: string | undefined, keys: { deviceId: string | null; name: string | null; macAddress: string | null }) {
  if (keys.macAddress) {
    await assertKeyFree(tx, 'interface', { macAddress: keys.macAddress }, id, 'macAddress', `a live interface with MAC ${keys.macAddress}`);
  }
  if (keys.deviceId && keys.name) {
    const description = `a live interface named ${JSON.stringify(keys.name)} on device ${keys.deviceId}`;
    await assertKeyFree(tx, 'interface', { deviceId: keys.deviceId, name: keys.name }, id, 'name', description);
  }
}

async function replaceIpAddresses(tx: Tx, interfaceId: string, addresses: Array<{ address: string; network: string | null }>) {
  await tx.ipAddress.deleteMany({ where: { interfaceId } });
  if (addresses.length > 0) await tx.ipAddress.createMany({ data: addresses.map((a) => ({ ...a, interfaceId })) });
}

/** The interface as the change log records it: the row with its addresses. */
async function snapshot(tx: Tx, row: InterfaceRow) {
  const addresses = await tx.ipAddress.findMany({ where: { interfaceId: row.id }, orderBy: [{ address: 'asc' }] });
  return { ...row, ipAddresses: addresses.map(({ address, network }) => ({ address, network })) };
}

/** The write's answer and its change-log event; `before` is the snapshot taken before the write. */
async function logged(tx: Tx, action: ChangeAction, after: InterfaceRow, before?: object) {
  return { result: after, changes: [{ entityType: ENTITY, entityId: after.id, action, before, after: await snapshot(tx, after) }] };
}

export function createInterface(ctx: ServiceContext, input: InterfaceInput) {
  const fields = checkFields(input);
  const addresses = checkIpAddresses(input.ipAddresses) ?? [];
  return write(ctx, async (tx) => {
    const owner = await resolveOwner(tx, input);
    await checkKeysFree(tx, undefined, { ...owner, name: fields.name ?? null, macAddress: fields.macAddress ?? null });
    const row = await tx.interface.create({ data: { properties: {}, ...fields, ...owner } });
    await replaceIpAddresses(tx, row.id, addresses);
    return logged(tx, 'created', row);
  });
}

/** Changes only the fields given; `ipAddresses`, when given, replaces the set. */
export function updateInterface(ctx: ServiceContext, id: string, input: InterfaceInput) {
  const fields = checkFields(input);
  const addresses = checkIpAddresses(input.ipAddresses);
  return write(ctx, async (tx) => {
    const before = await findLive(tx, 'interface', id);
    const owner = await resolveOwner(tx, input, before);
    await checkKeysFree(tx, id, {
      deviceId: owner.deviceId,
      name: fields.name === undefined ? before.name : fields.name,
      macAddress: fields.macAddress === undefined ? before.macAddress : fields.macAddress,
    });
    const beforeSnapshot = await snapshot(tx, before);
    const after = await tx.interface.update({
      where: { id, revision: before.revision },
      data: { ...fields, ...owner, revision: { increment: 1 } },
    });
    if (addresses) await replaceIpAddresses(tx, id, addresses);
    const moved = owner.deviceId !== before.deviceId || owner.componentId !== before.componentId;
    return logged(tx, moved ? 'moved' : 'updated', after, beforeSnapshot);
  });
}

/** Soft delete. Refused while a live cable has an end on the interface. */
export function deleteInterface(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findLive(tx, 'interface', id);
    const end = await tx.cableTermination.findFirst({ where: { interfaceId: id, live: true } });
    if (end) throw new ConflictError('id', `end ${end.end} of cable ${end.cableId} is on interface ${id}: disconnect it first`);
    const beforeSnapshot = await snapshot(tx, before);
    const after = await tx.interface.update({ where: { id }, data: { ...softDeleted(), revision: { increment: 1 } } });
    return logged(tx, 'deleted', after, beforeSnapshot);
  });
}

export function restoreInterface(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findAny(tx, 'interface', id);
    if (!before.deletedAt) return { result: before, changes: [] };
    if (before.deviceId) await findLive(tx, 'device', before.deviceId, 'deviceId');
    if (before.componentId) await findLive(tx, 'component', before.componentId, 'xname');
    await checkKeysFree(tx, id, before);
    const beforeSnapshot = await snapshot(tx, before);
    const after = await tx.interface.update({ where: { id }, data: { ...restored(), revision: { increment: 1 } } });
    return logged(tx, 'restored', after, beforeSnapshot);
  });
}

/** Adds or removes one address; either is an update of the interface in the change log. */
function changeAddresses(ctx: ServiceContext, interfaceId: string, edit: (tx: Tx) => Promise<void>) {
  return write(ctx, async (tx) => {
    const before = await findLive(tx, 'interface', interfaceId, 'interfaceId');
    const beforeSnapshot = await snapshot(tx, before);
    await edit(tx);
    const after = await tx.interface.update({
      where: { id: interfaceId, revision: before.revision },
      data: { revision: { increment: 1 } },
    });
    return logged(tx, 'updated', after, beforeSnapshot);
  });
}

export function addIpAddress(ctx: ServiceContext, interfaceId: string, input: IpAddressInput) {
  const entry = checkIpAddress(input, '');
  return changeAddresses(ctx, interfaceId, async (tx) => {
    const existing = await tx.ipAddress.findUnique({ where: { interfaceId_address: { interfaceId, address: entry.address } } });
    if (existing) throw new ConflictError('address', `interface ${interfaceId} already has ${entry.address}`);
    await tx.ipAddress.create({ data: { ...entry, interfaceId } });
  });
}

export function removeIpAddress(ctx: ServiceContext, interfaceId: string, address: string) {
  return changeAddresses(ctx, interfaceId, async (tx) => {
    const { count } = await tx.ipAddress.deleteMany({ where: { interfaceId, address: address.trim().toLowerCase() } });
    if (count === 0) throw new NotFoundError('IpAddress', address, 'address');
  });
}
