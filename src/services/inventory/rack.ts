// Racks: frames of U positions, optionally in a location.
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError } from '../../domain/errors.js';
import { optionalProperties } from '../../domain/property-keys.js';
import { defined, optionalInt, optionalText, requireText } from '../../domain/validate.js';
import type { ServiceContext } from '../core/context.js';
import { assertKeyFree, findAny, findLive, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import type { CreateOptions } from './device.js';

export interface RackInput {
  name?: string | null;
  locationId?: string | null;
  uHeight?: number | null;
  status?: string | null;
  serial?: string | null;
  assetTag?: string | null;
  properties?: unknown;
}

type RackRow = Prisma.RackGetPayload<object>;

const ENTITY = 'Rack';
export const MAX_RACK_UNITS = 100;

function checkFields(input: RackInput, creating: boolean) {
  return defined({
    name: creating || input.name !== undefined ? requireText(input.name, 'name') : undefined,
    uHeight: optionalInt(input.uHeight, 'uHeight', 1, MAX_RACK_UNITS) ?? undefined,
    status: input.status == null ? undefined : requireText(input.status, 'status', 64),
    serial: optionalText(input.serial, 'serial'),
    assetTag: optionalText(input.assetTag, 'assetTag'),
    properties: optionalProperties(input.properties) as Prisma.InputJsonObject | undefined,
  });
}

async function checkLocation(tx: Tx, locationId: string | null | undefined) {
  if (locationId) await findLive(tx, 'location', locationId, 'locationId');
}

function checkNameFree(tx: Tx, rackId: string | undefined, locationId: string | null, name: string) {
  const where = locationId ? `in location ${locationId}` : 'without a location';
  return assertKeyFree(tx, 'rack', { locationId, name }, rackId, 'name', `a live rack named ${JSON.stringify(name)} ${where}`);
}

/** A rack cannot shrink below a device mounted in it. */
async function checkDevicesFit(tx: Tx, rackId: string, uHeight: number) {
  const above = await tx.device.count({ where: { rackId, deletedAt: null, rackPosition: { gt: uHeight } } });
  if (above > 0) throw new ConflictError('uHeight', `${above} live device(s) sit above U${uHeight} in rack ${rackId}: move them first`);
}

export function createRack(ctx: ServiceContext, input: RackInput) {
  checkFields(input, true);
  return write(ctx, (tx) => createRackIn(tx, input));
}

/** createRack in the caller's transaction. */
export async function createRackIn(tx: Tx, input: RackInput, options: CreateOptions = {}): Promise<WriteResult<RackRow>> {
  const fields = checkFields(input, true);
  const locationId = input.locationId ?? null;
  const name = fields.name as string;
  await checkLocation(tx, locationId);
  await checkNameFree(tx, undefined, locationId, name);
  const rack = await tx.rack.create({ data: { properties: {}, ...fields, name, locationId, ...(options.id ? { id: options.id } : {}) } });
  return { result: rack, changes: [{ entityType: ENTITY, entityId: rack.id, action: 'created', after: rack }] };
}

/** Changes only the fields given; a new locationId moves the rack with its devices. */
export function updateRack(ctx: ServiceContext, id: string, input: RackInput) {
  checkFields(input, false);
  return write(ctx, (tx) => updateRackIn(tx, id, input));
}

/** updateRack in the caller's transaction. */
export async function updateRackIn(tx: Tx, id: string, input: RackInput): Promise<WriteResult<RackRow>> {
  const fields = checkFields(input, false);
  const before = await findLive(tx, 'rack', id);
  const locationId = input.locationId === undefined ? before.locationId : input.locationId;
  await checkLocation(tx, input.locationId);
  await checkNameFree(tx, id, locationId, fields.name ?? before.name);
  if (fields.uHeight !== undefined && fields.uHeight < before.uHeight) await checkDevicesFit(tx, id, fields.uHeight);
  const after = await tx.rack.update({
    where: { id, revision: before.revision },
    data: { ...fields, ...defined({ locationId: input.locationId }), revision: { increment: 1 } },
  });
  const action = locationId !== before.locationId ? 'moved' : 'updated';
  return { result: after, changes: [{ entityType: ENTITY, entityId: id, action, before, after }] };
}

/** Soft delete. Refused while live devices are mounted in the rack. */
export function deleteRack(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findLive(tx, 'rack', id);
    const devices = await tx.device.count({ where: { rackId: id, deletedAt: null } });
    if (devices > 0) throw new ConflictError('id', `rack ${id} still holds ${devices} live device(s): move or delete them first`);
    const after = await tx.rack.update({ where: { id }, data: { ...softDeleted(), revision: { increment: 1 } } });
    return { result: after, changes: [{ entityType: ENTITY, entityId: id, action: 'deleted', before, after }] };
  });
}

export function restoreRack(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findAny(tx, 'rack', id);
    if (!before.deletedAt) return { result: before, changes: [] };
    await checkLocation(tx, before.locationId);
    await checkNameFree(tx, id, before.locationId, before.name);
    const after = await tx.rack.update({ where: { id }, data: { ...restored(), revision: { increment: 1 } } });
    return { result: after, changes: [{ entityType: ENTITY, entityId: id, action: 'restored', before, after }] };
  });
}
