// The rules every cable write keeps, shared by the writers for one cable (cable.ts) and for
// many (cable-bulk.ts): field checks, and that an end goes on a live interface that carries no
// other live end.
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, type InventoryError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { optionalProperties } from '../../domain/property-keys.js';
import { defined, oneOf, optionalOneOf, optionalText } from '../../domain/validate.js';
import { type CABLE_ENDS, CABLE_STATUSES, LENGTH_UNITS } from '../../domain/vocabulary.js';
import { type ItemError, itemErrorAsIs } from '../core/item-error.js';

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

export type CableRow = Prisma.CableGetPayload<object>;
export type CableEnd = (typeof CABLE_ENDS)[number];

export const ENTITY = 'Cable';

function optionalLength(value: unknown, field: string): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'must be a number greater than 0');
  }
  return value;
}

/** The input's fields as the Cable row takes them; ValidationError naming the first bad one. */
export function checkFields(input: CableInput) {
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

export function checkCreate(input: CableCreateInput) {
  const fields = checkFields(input);
  if (input.aInterfaceId && input.aInterfaceId === input.bInterfaceId) {
    throw new ValidationError('bInterfaceId', 'cannot be the same interface as aInterfaceId');
  }
  return fields;
}

/** An end to put on an interface: the item it belongs to and the input field naming it. */
export interface EndClaim {
  index: number;
  end: CableEnd;
  interfaceId: string;
  field: string;
}

/**
 * Refuses an interface that is gone, or already carries a live cable end or one claimed
 * earlier in the list (one query each for the interfaces and their ends). Each claim's error
 * is the first in list order: its interface gone, then taken.
 */
export async function refuseBusyInterfaces(
  tx: Tx,
  claims: EndClaim[],
  itemError: ItemError = itemErrorAsIs,
  /** The cable each claim's end is on, for the message about a later claim of the list. */
  cableOf: (claim: EndClaim) => string = () => 'this write',
): Promise<void> {
  if (claims.length === 0) return;
  const ids = [...new Set(claims.map((c) => c.interfaceId))];
  const live = new Set(
    (await tx.interface.findMany({ where: { id: { in: ids }, deletedAt: null }, select: { id: true } })).map((row) => row.id),
  );
  const ends = await tx.cableTermination.findMany({
    where: { interfaceId: { in: ids }, live: true },
    select: { interfaceId: true, end: true, cableId: true },
  });
  const taken = new Map(ends.map((t) => [t.interfaceId, { end: t.end, cableId: t.cableId }]));
  const refuse = (claim: EndClaim, error: InventoryError) => {
    throw itemError(claim.index, error);
  };
  for (const claim of claims) {
    const { interfaceId, field } = claim;
    if (!live.has(interfaceId)) refuse(claim, new NotFoundError('Interface', interfaceId, field));
    const holder = taken.get(interfaceId);
    if (holder)
      refuse(claim, new ConflictError(field, `interface ${interfaceId} already has end ${holder.end} of cable ${holder.cableId} on it`));
    taken.set(interfaceId, { end: claim.end, cableId: cableOf(claim) });
  }
}

/** The cable as the change log records it: the row with the interface at each end. */
export async function snapshot(tx: Tx, cable: CableRow) {
  const ends = await tx.cableTermination.findMany({ where: { cableId: cable.id }, orderBy: { end: 'asc' } });
  return { ...cable, terminations: ends.map(({ end, interfaceId }) => ({ end, interfaceId })) };
}
