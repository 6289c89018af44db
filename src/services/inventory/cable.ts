// Cables: physical links whose A and B ends terminate on interfaces.
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { optionalProperties } from '../../domain/property-keys.js';
import { defined, oneOf, optionalOneOf, optionalText } from '../../domain/validate.js';
import { CABLE_ENDS, CABLE_STATUSES, LENGTH_UNITS } from '../../domain/vocabulary.js';
import type { ChangeAction } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { findAny, findLive, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import type { CreateOptions } from './device.js';

export interface CableInput {
  label?: string | null;
  cableType?: string | null;
  status?: string | null;
  color?: string | null;
  length?: number | null;
  lengthUnit?: string | null;
  properties?: unknown;
}

export interface CableCreateInput extends CableInput {
  aInterfaceId?: string | null;
  bInterfaceId?: string | null;
}

type CableEnd = (typeof CABLE_ENDS)[number];
type CableRow = Prisma.CableGetPayload<object>;

const ENTITY = 'Cable';

function optionalLength(value: unknown, field: string): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'must be a number greater than 0');
  }
  return value;
}

function checkFields(input: CableInput) {
  return defined({
    label: optionalText(input.label, 'label'),
    cableType: optionalText(input.cableType, 'cableType', 64),
    status: input.status == null ? undefined : oneOf(input.status, CABLE_STATUSES, 'status'),
    color: optionalText(input.color, 'color', 64),
    length: optionalLength(input.length, 'length'),
    lengthUnit: optionalOneOf(input.lengthUnit, LENGTH_UNITS, 'lengthUnit'),
    properties: optionalProperties(input.properties) as Prisma.InputJsonObject | undefined,
  });
}

/** Refuses an interface that is gone or already carries a live cable end. */
async function checkInterfaceFree(tx: Tx, interfaceId: string, field: string) {
  await findLive(tx, 'interface', interfaceId, field);
  const taken = await tx.cableTermination.findFirst({ where: { interfaceId, live: true } });
  if (taken) throw new ConflictError(field, `interface ${interfaceId} already has end ${taken.end} of cable ${taken.cableId} on it`);
}

async function connectEnd(tx: Tx, cableId: string, end: CableEnd, interfaceId: string, field: string) {
  await checkInterfaceFree(tx, interfaceId, field);
  await tx.cableTermination.create({ data: { cableId, end, interfaceId } });
}

/** The cable as the change log records it: the row with the interface at each end. */
async function snapshot(tx: Tx, cable: CableRow) {
  const ends = await tx.cableTermination.findMany({ where: { cableId: cable.id }, orderBy: { end: 'asc' } });
  return { ...cable, terminations: ends.map(({ end, interfaceId }) => ({ end, interfaceId })) };
}

/** The write's answer and its change-log event; `before` is the snapshot taken before the write. */
async function logged(tx: Tx, action: ChangeAction, after: CableRow, before?: object) {
  return { result: after, changes: [{ entityType: ENTITY, entityId: after.id, action, before, after: await snapshot(tx, after) }] };
}

export function createCable(ctx: ServiceContext, input: CableCreateInput) {
  checkCreate(input);
  return write(ctx, (tx) => createCableIn(tx, input));
}

function checkCreate(input: CableCreateInput) {
  const fields = checkFields(input);
  if (input.aInterfaceId && input.aInterfaceId === input.bInterfaceId) {
    throw new ValidationError('bInterfaceId', 'cannot be the same interface as aInterfaceId');
  }
  return fields;
}

/** createCable in the caller's transaction. */
export async function createCableIn(tx: Tx, input: CableCreateInput, options: CreateOptions = {}): Promise<WriteResult<CableRow>> {
  const fields = checkCreate(input);
  const { aInterfaceId, bInterfaceId } = input;
  const cable = await tx.cable.create({ data: { properties: {}, ...fields, ...(options.id ? { id: options.id } : {}) } });
  if (aInterfaceId) await connectEnd(tx, cable.id, 'A', aInterfaceId, 'aInterfaceId');
  if (bInterfaceId) await connectEnd(tx, cable.id, 'B', bInterfaceId, 'bInterfaceId');
  return logged(tx, 'created', cable);
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
    for (const { interfaceId } of beforeSnapshot.terminations) await checkInterfaceFree(tx, interfaceId, 'interfaceId');
    await tx.cableTermination.updateMany({ where: { cableId: id }, data: { live: true } });
    const after = await tx.cable.update({ where: { id }, data: { ...restored(), revision: { increment: 1 } } });
    return logged(tx, 'restored', after, beforeSnapshot);
  });
}
