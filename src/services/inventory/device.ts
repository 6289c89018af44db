// Devices: the physical things (cabinet, chassis, blade, node, DIMM …) and their tree.
import type { Tx } from '../../db/client.js';
import { ConflictError } from '../../domain/errors.js';
import type { ServiceContext } from '../core/context.js';
import { findAny, findLive, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import { createDevicesIn, updateDevicesIn } from './device-bulk.js';
import { type CreateOptions, checkFields, checkRevision, type DeviceInput, staleRevision, type WriteOptions } from './device-rules.js';

export type { CreateOptions, DeviceInput, WriteOptions } from './device-rules.js';

const ENTITY = 'Device';

/** Creates a device inside the caller's transaction; the changes are for the caller to log. */
export async function createDeviceIn(tx: Tx, input: DeviceInput, options: CreateOptions = {}) {
  const { result, changes } = await createDevicesIn(tx, [{ input, id: options.id }]);
  return { result: result[0], changes } satisfies WriteResult<unknown>;
}

export function createDevice(ctx: ServiceContext, input: DeviceInput) {
  checkFields(input, true);
  return write(ctx, (tx) => createDeviceIn(tx, input));
}

export async function updateDeviceIn(tx: Tx, id: string, input: DeviceInput, options: WriteOptions = {}) {
  const { result, changes } = await updateDevicesIn(tx, [{ id, input, expectedRevision: options.expectedRevision }]);
  return { result: result[0], changes } satisfies WriteResult<unknown>;
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
