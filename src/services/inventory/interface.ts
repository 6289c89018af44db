// Interfaces: network ports of a device and/or an xname position, with their IP addresses.
// The rules are in interface-rules.ts; creating and updating go through the writers for many
// (interface-bulk.ts), of which the ones here are lists of one.
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, InventoryError, NotFoundError, onField, ValidationError } from '../../domain/errors.js';
import { optionalMac } from '../../domain/mac.js';
import { requireXname } from '../../domain/smd-names.js';
import { fieldPath, oneOf, optionalBoolean, optionalText, refuseRepeats, requireObject, requireSomeChange } from '../../domain/validate.js';
import { INTERFACE_KINDS } from '../../domain/vocabulary.js';
import type { Change, ChangeAction } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { findAny, findLive, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import type { CreateOptions } from './device.js';
import { createInterfacesIn, updateInterfacesIn } from './interface-bulk.js';
import {
  checkFields,
  checkIpAddress,
  checkIpAddresses,
  DESCRIPTION_CHARS,
  ENTITY,
  type InterfaceInput,
  type InterfaceRow,
  type IpAddressInput,
  refuseTakenKeys,
  snapshot,
} from './interface-rules.js';

export type { InterfaceInput, IpAddressInput } from './interface-rules.js';

/** The write's answer and its change-log event; `before` is the snapshot taken before the write. */
async function logged(tx: Tx, action: ChangeAction, after: InterfaceRow, before?: object) {
  return { result: after, changes: [{ entityType: ENTITY, entityId: after.id, action, before, after: await snapshot(tx, after) }] };
}

export function createInterface(ctx: ServiceContext, input: InterfaceInput) {
  checkFields(input);
  checkIpAddresses(input.ipAddresses);
  return write(ctx, (tx) => createInterfaceIn(tx, input));
}

/** createInterface in the caller's transaction. */
export async function createInterfaceIn(tx: Tx, input: InterfaceInput, options: CreateOptions = {}): Promise<WriteResult<InterfaceRow>> {
  const { result, changes } = await createInterfacesIn(tx, [{ input, id: options.id }]);
  return { result: result[0], changes };
}

/** Changes only the fields given; `ipAddresses`, when given, replaces the set. */
export function updateInterface(ctx: ServiceContext, id: string, input: InterfaceInput) {
  checkFields(input);
  checkIpAddresses(input.ipAddresses);
  return write(ctx, (tx) => updateInterfaceIn(tx, id, input));
}

/** updateInterface in the caller's transaction. */
export async function updateInterfaceIn(tx: Tx, id: string, input: InterfaceInput): Promise<WriteResult<InterfaceRow>> {
  const { result, changes } = await updateInterfacesIn(tx, [{ id, input }]);
  return { result: result[0], changes };
}

/** Soft delete. Refused while a live cable has an end on the interface. */
export function deleteInterface(ctx: ServiceContext, id: string) {
  return write(ctx, (tx) => deleteInterfaceIn(tx, id));
}

/** deleteInterface in the caller's transaction. */
export async function deleteInterfaceIn(tx: Tx, id: string) {
  const before = await findLive(tx, 'interface', id);
  const end = await tx.cableTermination.findFirst({ where: { interfaceId: id, live: true } });
  if (end) throw new ConflictError('id', `end ${end.end} of cable ${end.cableId} is on interface ${id}: disconnect it first`);
  const beforeSnapshot = await snapshot(tx, before);
  const after = await tx.interface.update({ where: { id }, data: { ...softDeleted(), revision: { increment: 1 } } });
  return logged(tx, 'deleted', after, beforeSnapshot);
}

export function restoreInterface(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findAny(tx, 'interface', id);
    if (!before.deletedAt) return { result: before, changes: [] };
    if (before.deviceId) await findLive(tx, 'device', before.deviceId, 'deviceId');
    if (before.componentId) await findLive(tx, 'component', before.componentId, 'xname');
    await refuseTakenKeys(tx, [before]);
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

// ---------------------------------------------------------------------------------------------
// The SMD EthernetInterfaces view (/hsm/v2/Inventory/EthernetInterfaces, discovery payloads).
// An SMD EthernetInterface is keyed by its MAC and names its position by xname (ComponentID),
// which SMD does not require to exist. Here a live position of that xname owns the interface;
// an xname with no live position (yet) is kept by name in componentXname, and an interface
// may have no owner at all (SMD's ComponentID ""), like the ones DHCP learns.

/** The interfaces SMD lists: live, with a MAC, not HSN or InfiniBand ports. */
export const ETHERNET_VIEW_WHERE = {
  deletedAt: null,
  macAddress: { not: null },
  kind: { notIn: ['hsn', 'infiniband'] },
} satisfies Prisma.InterfaceWhereInput;

export interface EthernetInterfaceInput {
  /** Any common spelling; required. */
  macAddress: string;
  description?: string | null;
  /** SMD ComponentID: the owning position's xname; "" or null for none. */
  componentXname?: string | null;
  /** The whole set; null or [] clears it. */
  ipAddresses?: IpAddressInput[] | null;
  /** Only used when creating: ethernet (default) or bmc. */
  kind?: string | null;
  mgmtOnly?: boolean | null;
}

export type EthernetInterfacePatch = Partial<Pick<EthernetInterfaceInput, 'description' | 'componentXname' | 'ipAddresses'>>;

function checkComponentXname(value: unknown, field: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  return requireXname(value, field).xname;
}

function checkEthernetInput(input: EthernetInterfaceInput, path: string) {
  requireObject(input, path || 'input');
  const at = (name: string) => fieldPath(path || undefined, name);
  const macAddress = optionalMac(input.macAddress, at('macAddress'));
  if (!macAddress) throw new ValidationError(at('macAddress'), 'is required');
  return {
    macAddress,
    description: optionalText(input.description, at('description'), DESCRIPTION_CHARS),
    xname: checkComponentXname(input.componentXname, at('componentXname')),
    ipAddresses: checkIpAddresses(input.ipAddresses, at('ipAddresses')),
    kind: input.kind == null ? undefined : oneOf(input.kind, INTERFACE_KINDS, at('kind')),
    mgmtOnly: optionalBoolean(input.mgmtOnly ?? undefined, at('mgmtOnly')),
  };
}

/** A list writer's error about one of its fields, named at the item's path ("ethernetInterfaces.3"). */
function atPath(error: unknown, path: string): unknown {
  if (!path || !(error instanceof InventoryError) || !error.field) return error;
  return onField(error, `${path}.${error.field}`);
}

/**
 * Writes SMD EthernetInterfaces in the caller's transaction, through the list writers
 * (interface-bulk.ts, with SMD's owners): a constant number of statements for any number.
 * `create` refuses a MAC a live interface already has; `replace` overwrites that interface's
 * description, owner and addresses (SMD's discovery re-insert) and creates the others; `sync`
 * is `replace` that leaves an interface alone when it already has them (imports). Every write
 * is logged, in input order.
 */
export async function writeEthernetInterfacesIn(
  tx: Tx,
  inputs: EthernetInterfaceInput[],
  mode: 'create' | 'replace' | 'sync',
  listField = 'ethernetInterfaces',
): Promise<WriteResult<InterfaceRow[]>> {
  const pathOf = (i: number) => (listField ? `${listField}.${i}` : '');
  const items = inputs.map((input, i) => checkEthernetInput(input, pathOf(i)));
  refuseRepeats(
    items,
    (item) => item.macAddress,
    (item) => fieldPath(pathOf(items.indexOf(item)) || undefined, 'macAddress'),
  );
  // The interface a MAC re-inserts; for 'create' there is none: the writer refuses a MAC taken.
  const existing =
    mode === 'create'
      ? []
      : await tx.interface.findMany({
          where: { deletedAt: null, macAddress: { in: items.map((item) => item.macAddress) } },
          select: { id: true, macAddress: true },
        });
  const idOf = new Map(existing.map((row) => [row.macAddress as string, row.id]));
  const updates = items.flatMap((item, index) => {
    const id = idOf.get(item.macAddress);
    return id ? [{ index, id, input: { description: item.description, xname: item.xname, ipAddresses: item.ipAddresses } }] : [];
  });
  const creates = items.flatMap((item, index) => (idOf.has(item.macAddress) ? [] : [{ index, input: item }]));
  const named = (list: Array<{ index: number }>) => (i: number, error: InventoryError) => atPath(error, pathOf(list[i].index));
  const updated = await updateInterfacesIn(tx, updates, { smdOwners: true, skipUnchanged: mode === 'sync', itemError: named(updates) });
  const created = await createInterfacesIn(tx, creates, { smdOwners: true, itemError: named(creates) });

  const result: InterfaceRow[] = new Array(items.length);
  updates.forEach(({ index }, i) => {
    result[index] = updated.result[i];
  });
  creates.forEach(({ index }, i) => {
    result[index] = created.result[i];
  });
  const changeOf = new Map([...updated.changes, ...created.changes].map((change) => [change.entityId, change]));
  const changes = result.flatMap((row) => changeOf.get(row.id) ?? []);
  return { result, changes };
}

/** SMD POST /Inventory/EthernetInterfaces: one new interface; a MAC already live is a CONFLICT. */
export async function createEthernetInterface(ctx: ServiceContext, input: EthernetInterfaceInput): Promise<InterfaceRow> {
  const [row] = await write(ctx, (tx) => writeEthernetInterfacesIn(tx, [input], 'create', ''));
  return row;
}

/**
 * SMD PATCH /Inventory/EthernetInterfaces/{id}: changes the description, the owner (by xname,
 * kept by name when no such position is live) and/or the whole address set.
 */
export async function updateEthernetInterface(ctx: ServiceContext, id: string, patch: EthernetInterfacePatch): Promise<InterfaceRow> {
  const description = optionalText(patch.description, 'description', DESCRIPTION_CHARS);
  const xname = checkComponentXname(patch.componentXname, 'componentXname');
  const ipAddresses = checkIpAddresses(patch.ipAddresses);
  if (description === undefined && xname === undefined && ipAddresses === undefined) requireSomeChange({});
  return write(ctx, async (tx) => {
    const { result, changes } = await updateInterfacesIn(tx, [{ id, input: { description, xname, ipAddresses } }], { smdOwners: true });
    return { result: result[0], changes };
  });
}

/**
 * Soft-deletes the interfaces in one transaction (SMD DELETE of the collection). Refused as a
 * whole while a live cable has an end on one of them, as deleteInterface refuses one.
 * `ids` undefined means every interface of the SMD view. Answers the number deleted.
 */
export async function deleteEthernetInterfaces(ctx: ServiceContext, ids?: string[]): Promise<number> {
  return write(ctx, async (tx) => {
    const befores = await tx.interface.findMany({ where: { ...ETHERNET_VIEW_WHERE, ...(ids ? { id: { in: ids } } : {}) } });
    if (befores.length === 0) return { result: 0, changes: [] };
    const cabled = await tx.cableTermination.findFirst({ where: { live: true, interfaceId: { in: befores.map((b) => b.id) } } });
    if (cabled) {
      const mac = befores.find((b) => b.id === cabled.interfaceId)?.macAddress;
      throw new ConflictError(
        'id',
        `end ${cabled.end} of cable ${cabled.cableId} is on interface ${mac ?? cabled.interfaceId}: disconnect it first`,
      );
    }
    const addresses = await tx.ipAddress.findMany({
      where: { interfaceId: { in: befores.map((b) => b.id) } },
      orderBy: [{ address: 'asc' }],
    });
    const gone = softDeleted();
    await tx.interface.updateMany({ where: { id: { in: befores.map((b) => b.id) } }, data: { ...gone, revision: { increment: 1 } } });
    const changes = befores.map((before): Change => {
      const ipAddresses = addresses.filter((a) => a.interfaceId === before.id).map(({ address, network }) => ({ address, network }));
      const beforeSnapshot = { ...before, ipAddresses };
      return {
        entityType: ENTITY,
        entityId: before.id,
        action: 'deleted',
        before: beforeSnapshot,
        after: { ...beforeSnapshot, ...gone, revision: before.revision + 1 },
      };
    });
    return { result: befores.length, changes };
  });
}

/** SMD PATCH .../IPAddresses/{ip}: sets the network of one address (null or "" clears it). */
export function setIpAddressNetwork(ctx: ServiceContext, interfaceId: string, address: string, network: string | null) {
  const value = optionalText(network, 'network', 64) ?? null;
  const key = address.trim().toLowerCase();
  return changeAddresses(ctx, interfaceId, async (tx) => {
    const { count } = await tx.ipAddress.updateMany({ where: { interfaceId, address: key }, data: { network: value } });
    if (count === 0) throw new NotFoundError('IpAddress', address, 'address');
  });
}
