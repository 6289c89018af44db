// Cables: physical links whose A and B ends terminate on interfaces. The rules are in
// cable-rules.ts; creating goes through the writer for many (cable-bulk.ts).
import type { Tx } from '../../db/client.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { oneOf } from '../../domain/validate.js';
import { CABLE_ENDS } from '../../domain/vocabulary.js';
import type { ChangeAction } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { findAny, findLive, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import { createCablesIn } from './cable-bulk.js';
import {
  type CableCreateInput,
  type CableEnd,
  type CableInput,
  type CableRow,
  checkCreate,
  checkFields,
  ENTITY,
  refuseBusyInterfaces,
  snapshot,
} from './cable-rules.js';
import type { CreateOptions } from './device.js';

export type { CableCreateInput, CableInput } from './cable-rules.js';

async function connectEnd(tx: Tx, cableId: string, end: CableEnd, interfaceId: string, field: string) {
  await refuseBusyInterfaces(tx, [{ index: 0, end, interfaceId, field }]);
  await tx.cableTermination.create({ data: { cableId, end, interfaceId } });
}

/** The write's answer and its change-log event; `before` is the snapshot taken before the write. */
async function logged(tx: Tx, action: ChangeAction, after: CableRow, before?: object) {
  return { result: after, changes: [{ entityType: ENTITY, entityId: after.id, action, before, after: await snapshot(tx, after) }] };
}

export function createCable(ctx: ServiceContext, input: CableCreateInput) {
  checkCreate(input);
  return write(ctx, (tx) => createCableIn(tx, input));
}

/** createCable in the caller's transaction. */
export async function createCableIn(tx: Tx, input: CableCreateInput, options: CreateOptions = {}): Promise<WriteResult<CableRow>> {
  const { result, changes } = await createCablesIn(tx, [{ input, id: options.id }]);
  return { result: result[0], changes };
}

export function updateCable(ctx: ServiceContext, id: string, input: CableInput) {
  checkFields(input);
  return write(ctx, (tx) => updateCableIn(tx, id, input));
}

/** updateCable in the caller's transaction. */
export async function updateCableIn(tx: Tx, id: string, input: CableInput): Promise<WriteResult<CableRow>> {
  const fields = checkFields(input);
  const before = await findLive(tx, 'cable', id);
  const beforeSnapshot = await snapshot(tx, before);
  const after = await tx.cable.update({ where: { id, revision: before.revision }, data: { ...fields, revision: { increment: 1 } } });
  return logged(tx, 'updated', after, beforeSnapshot);
}

/** Runs `edit` on a live cable's ends and logs it as `action`, bumping the cable's revision. */
async function changeEndsIn(
  tx: Tx,
  cableId: string,
  action: 'connected' | 'disconnected',
  edit: () => Promise<void>,
): Promise<WriteResult<CableRow>> {
  const before = await findLive(tx, 'cable', cableId, 'cableId');
  const beforeSnapshot = await snapshot(tx, before);
  await edit();
  const after = await tx.cable.update({ where: { id: cableId, revision: before.revision }, data: { revision: { increment: 1 } } });
  return logged(tx, action, after, beforeSnapshot);
}

export function connectCable(ctx: ServiceContext, cableId: string, end: string, interfaceId: string) {
  oneOf(end, CABLE_ENDS, 'end');
  return write(ctx, (tx) => connectCableIn(tx, cableId, end, interfaceId));
}

/** connectCable in the caller's transaction. */
export function connectCableIn(tx: Tx, cableId: string, end: string, interfaceId: string): Promise<WriteResult<CableRow>> {
  const which = oneOf(end, CABLE_ENDS, 'end');
  return changeEndsIn(tx, cableId, 'connected', async () => {
    const ends = await tx.cableTermination.findMany({ where: { cableId } });
    const current = ends.find((t) => t.end === which);
    if (current) {
      throw new ConflictError(
        'end',
        `end ${which} of cable ${cableId} is already on interface ${current.interfaceId}: disconnect it first`,
      );
    }
    if (ends.some((t) => t.interfaceId === interfaceId)) {
      throw new ValidationError(
        'interfaceId',
        `the other end of cable ${cableId} is already on interface ${interfaceId}: both ends cannot be on one interface`,
      );
    }
    await connectEnd(tx, cableId, which, interfaceId, 'interfaceId');
  });
}

export function disconnectCable(ctx: ServiceContext, cableId: string, end: string) {
  oneOf(end, CABLE_ENDS, 'end');
  return write(ctx, (tx) => disconnectCableIn(tx, cableId, end));
}

/** disconnectCable in the caller's transaction. */
export function disconnectCableIn(tx: Tx, cableId: string, end: string): Promise<WriteResult<CableRow>> {
  const which = oneOf(end, CABLE_ENDS, 'end');
  return changeEndsIn(tx, cableId, 'disconnected', async () => {
    const { count } = await tx.cableTermination.deleteMany({ where: { cableId, end: which } });
    if (count === 0) throw new ConflictError('end', `end ${which} of cable ${cableId} is not connected`);
  });
}

/** Soft delete. The ends stay recorded but stop holding their interfaces, so these are free again. */
export function deleteCable(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findLive(tx, 'cable', id);
    const beforeSnapshot = await snapshot(tx, before);
    await tx.cableTermination.updateMany({ where: { cableId: id }, data: { live: null } });
    const after = await tx.cable.update({ where: { id }, data: { ...softDeleted(), revision: { increment: 1 } } });
    return logged(tx, 'deleted', after, beforeSnapshot);
  });
}

/** Restores the cable on the interfaces it had; refused when one is gone or taken meanwhile. */
export function restoreCable(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findAny(tx, 'cable', id);
    if (!before.deletedAt) return { result: before, changes: [] };
    const beforeSnapshot = await snapshot(tx, before);
    await refuseBusyInterfaces(
      tx,
      beforeSnapshot.terminations.map(({ end, interfaceId }) => ({ index: 0, end: end as CableEnd, interfaceId, field: 'interfaceId' })),
    );
    await tx.cableTermination.updateMany({ where: { cableId: id }, data: { live: true } });
    const after = await tx.cable.update({ where: { id }, data: { ...restored(), revision: { increment: 1 } } });
    return logged(tx, 'restored', after, beforeSnapshot);
  });
}
