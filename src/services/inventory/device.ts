// Devices: the physical things (cabinet, chassis, blade, node, DIMM …) and their tree.
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { validateProperties } from '../../domain/property-keys.js';
import { defined, oneOf, optionalInt, optionalObject, optionalOneOf, optionalText, requireText } from '../../domain/validate.js';
import { DEVICE_STATUSES, RACK_FACES } from '../../domain/vocabulary.js';
import type { ServiceContext } from '../core/context.js';
import { findAny, findLive, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import { checkParent } from '../core/tree.js';

export interface DeviceInput {
  deviceType?: string;
  name?: string | null;
  manufacturer?: string | null;
  model?: string | null;
  partNumber?: string | null;
  serialNumber?: string | null;
  assetTag?: string | null;
  description?: string | null;
  status?: string | null;
  role?: string | null;
  parentId?: string | null;
  rackId?: string | null;
  rackPosition?: number | null;
  rackFace?: string | null;
  locationId?: string | null;
  properties?: unknown;
  providerMetadata?: unknown;
  externalIds?: unknown;
}

export interface WriteOptions {
  /** Optimistic concurrency: the revision the caller last saw. */
  expectedRevision?: number;
}

const ENTITY = 'Device';

/** The input's fields as the Device row takes them; ValidationError naming the first bad one. */
export function checkFields(input: DeviceInput, creating: boolean) {
  return defined({
    deviceType: creating || input.deviceType !== undefined ? requireText(input.deviceType, 'deviceType', 64) : undefined,
    name: optionalText(input.name, 'name'),
    manufacturer: optionalText(input.manufacturer, 'manufacturer'),
    model: optionalText(input.model, 'model'),
    partNumber: optionalText(input.partNumber, 'partNumber'),
    serialNumber: optionalText(input.serialNumber, 'serialNumber'),
    assetTag: optionalText(input.assetTag, 'assetTag'),
    description: optionalText(input.description, 'description', 4000),
    status: input.status == null ? undefined : oneOf(input.status, DEVICE_STATUSES, 'status'),
    role: optionalText(input.role, 'role', 64),
    rackPosition: optionalInt(input.rackPosition, 'rackPosition', 1, 100),
    rackFace: optionalOneOf(input.rackFace, RACK_FACES, 'rackFace'),
    properties: input.properties === undefined ? undefined : (validateProperties(input.properties) as Prisma.InputJsonObject),
    providerMetadata: optionalObject(input.providerMetadata, 'providerMetadata') as Prisma.InputJsonObject | undefined,
    externalIds: optionalObject(input.externalIds, 'externalIds') as Prisma.InputJsonObject | undefined,
  });
}

async function checkPlacement(tx: Tx, data: { rackId?: string | null; rackPosition?: number | null; locationId?: string | null }) {
  if (data.locationId) await findLive(tx, 'location', data.locationId, 'locationId');
  if (!data.rackId) {
    if (data.rackPosition != null) throw new ValidationError('rackPosition', 'needs a rackId');
    return;
  }
  const rack = await findLive(tx, 'rack', data.rackId, 'rackId');
  if (data.rackPosition != null && data.rackPosition > rack.uHeight) {
    throw new ValidationError('rackPosition', `must be within the rack's ${rack.uHeight} units`);
  }
}

function checkRevision(current: { revision: number }, options: WriteOptions) {
  if (options.expectedRevision !== undefined && options.expectedRevision !== current.revision) {
    throw new ConflictError('revision', `the device is at revision ${current.revision}, not ${options.expectedRevision}: reload and retry`);
  }
}

/** A guarded update (`where: {revision}`) that matched nothing lost a race to a concurrent write. */
function staleRevision(revision: number) {
  return (error: unknown): never => {
    if ((error as { code?: string } | null)?.code === 'P2025') {
      throw new ConflictError('revision', `the device changed after revision ${revision} was read: reload and retry`);
    }
    throw error;
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CreateOptions {
  /** The new device's id, for importers whose source names things by UUID (lowercase). */
  id?: string;
}

/** Creates a device inside the caller's transaction; the changes are for the caller to log. */
export async function createDeviceIn(tx: Tx, input: DeviceInput, options: CreateOptions = {}) {
  if (options.id !== undefined && !UUID_PATTERN.test(options.id))
    throw new ValidationError('id', `must be a lowercase UUID (got ${JSON.stringify(options.id)})`);
  const fields = checkFields(input, true);
  const placement = { rackId: input.rackId ?? null, rackPosition: fields.rackPosition ?? null, locationId: input.locationId ?? null };
  await checkParent(tx, 'device', undefined, input.parentId);
  await checkPlacement(tx, placement);
  const device = await tx.device.create({
    data: {
      properties: {},
      providerMetadata: {},
      externalIds: {},
      ...fields,
      ...(options.id ? { id: options.id } : {}),
      deviceType: fields.deviceType as string,
      parentId: input.parentId ?? null,
      rackId: placement.rackId,
      locationId: placement.locationId,
    },
  });
  return {
    result: device,
    changes: [{ entityType: ENTITY, entityId: device.id, action: 'created', after: device }],
  } satisfies WriteResult<unknown>;
}

export function createDevice(ctx: ServiceContext, input: DeviceInput) {
  checkFields(input, true);
  return write(ctx, (tx) => createDeviceIn(tx, input));
}

export async function updateDeviceIn(tx: Tx, id: string, input: DeviceInput, options: WriteOptions = {}) {
  const fields = checkFields(input, false);
  const before = await findLive(tx, 'device', id);
  checkRevision(before, options);
  const placement = {
    rackId: input.rackId === undefined ? before.rackId : input.rackId,
    rackPosition: fields.rackPosition === undefined ? before.rackPosition : fields.rackPosition,
    locationId: input.locationId === undefined ? before.locationId : input.locationId,
  };
  if (input.parentId !== undefined) await checkParent(tx, 'device', id, input.parentId);
  await checkPlacement(tx, placement);
  const after = await tx.device
    .update({
      where: { id, revision: before.revision },
      data: {
        ...fields,
        ...defined({ parentId: input.parentId, rackId: input.rackId, locationId: input.locationId }),
        revision: { increment: 1 },
      },
    })
    .catch(staleRevision(before.revision));
  const action = input.parentId !== undefined && input.parentId !== before.parentId ? 'moved' : 'updated';
  return { result: after, changes: [{ entityType: ENTITY, entityId: id, action, before, after }] } satisfies WriteResult<unknown>;
}

export function updateDevice(ctx: ServiceContext, id: string, input: DeviceInput, options: WriteOptions = {}) {
  checkFields(input, false);
  return write(ctx, (tx) => updateDeviceIn(tx, id, input, options));
}

export interface MoveInput {
  parentId?: string | null;
  rackId?: string | null;
  rackPosition?: number | null;
  rackFace?: string | null;
  locationId?: string | null;
}

/** Re-parents and/or re-places a device; the whole subtree moves with it. */
export function moveDevice(ctx: ServiceContext, id: string, input: MoveInput, options: WriteOptions = {}) {
  return updateDevice(
    ctx,
    id,
    {
      parentId: input.parentId ?? null,
      rackId: input.rackId ?? null,
      rackPosition: input.rackPosition ?? null,
      rackFace: input.rackFace ?? null,
      locationId: input.locationId ?? null,
    },
    options,
  );
}

/** Soft delete. A device with live children is refused: move or delete them first. */
export async function deleteDeviceIn(tx: Tx, id: string, options: WriteOptions = {}) {
  const before = await findLive(tx, 'device', id);
  checkRevision(before, options);
  const children = await tx.device.count({ where: { parentId: id, deletedAt: null } });
  if (children > 0) throw new ConflictError('id', `device ${id} still has ${children} live child device(s): move or delete them first`);
  const now = new Date();
  await tx.installation.updateMany({ where: { deviceId: id, open: true }, data: { open: null, removedAt: now } });
  const after = await tx.device
    .update({ where: { id, revision: before.revision }, data: { ...softDeleted(), revision: { increment: 1 } } })
    .catch(staleRevision(before.revision));
  return {
    result: after,
    changes: [{ entityType: ENTITY, entityId: id, action: 'deleted', before, after }],
  } satisfies WriteResult<unknown>;
}

export function deleteDevice(ctx: ServiceContext, id: string, options: WriteOptions = {}) {
  return write(ctx, (tx) => deleteDeviceIn(tx, id, options));
}

export function restoreDevice(ctx: ServiceContext, id: string) {
  return write(ctx, (tx) => restoreDeviceIn(tx, id));
}

/** restoreDevice in the caller's transaction; a live device is left as it is. */
export async function restoreDeviceIn(tx: Tx, id: string) {
  const before = await findAny(tx, 'device', id);
  if (!before.deletedAt) return { result: before, changes: [] } satisfies WriteResult<unknown>;
  if (before.parentId) await findLive(tx, 'device', before.parentId, 'parentId');
  const after = await tx.device.update({ where: { id }, data: { ...restored(), revision: { increment: 1 } } });
  return {
    result: after,
    changes: [{ entityType: ENTITY, entityId: id, action: 'restored', before, after }],
  } satisfies WriteResult<unknown>;
}
