// Locations: sites, buildings, rooms, rows … nested to any depth.
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError } from '../../domain/errors.js';
import { optionalProperties } from '../../domain/property-keys.js';
import { defined, oneOf, optionalText, requireText } from '../../domain/validate.js';
import { LOCATION_TYPES } from '../../domain/vocabulary.js';
import type { ServiceContext } from '../core/context.js';
import { assertKeyFree, findAny, findLive, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import { checkParent } from '../core/tree.js';
import type { CreateOptions } from './device.js';

export interface LocationInput {
  name?: string | null;
  slug?: string | null;
  locationType?: string | null;
  description?: string | null;
  parentId?: string | null;
  properties?: unknown;
}

type LocationRow = Prisma.LocationGetPayload<object>;

const ENTITY = 'Location';

function checkFields(input: LocationInput, creating: boolean) {
  return defined({
    name: creating || input.name !== undefined ? requireText(input.name, 'name') : undefined,
    slug: optionalText(input.slug, 'slug', 100),
    locationType: input.locationType == null ? undefined : oneOf(input.locationType, LOCATION_TYPES, 'locationType'),
    description: optionalText(input.description, 'description', 4000),
    properties: optionalProperties(input.properties) as Prisma.InputJsonObject | undefined,
  });
}

function checkNameFree(tx: Tx, locationId: string | undefined, parentId: string | null, name: string) {
  const where = parentId ? `under location ${parentId}` : 'at the top level';
  return assertKeyFree(tx, 'location', { parentId, name }, locationId, 'name', `a live location named ${JSON.stringify(name)} ${where}`);
}

export function createLocation(ctx: ServiceContext, input: LocationInput) {
  checkFields(input, true);
  return write(ctx, (tx) => createLocationIn(tx, input));
}

/** createLocation in the caller's transaction. */
export async function createLocationIn(tx: Tx, input: LocationInput, options: CreateOptions = {}): Promise<WriteResult<LocationRow>> {
  const fields = checkFields(input, true);
  const parentId = input.parentId ?? null;
  const name = fields.name as string;
  await checkParent(tx, 'location', undefined, parentId);
  await checkNameFree(tx, undefined, parentId, name);
  const location = await tx.location.create({
    data: { properties: {}, ...fields, name, parentId, ...(options.id ? { id: options.id } : {}) },
  });
  return { result: location, changes: [{ entityType: ENTITY, entityId: location.id, action: 'created', after: location }] };
}

/** Changes only the fields given; a new parentId moves the location with its subtree. */
export function updateLocation(ctx: ServiceContext, id: string, input: LocationInput) {
  checkFields(input, false);
  return write(ctx, (tx) => updateLocationIn(tx, id, input));
}

/** updateLocation in the caller's transaction. */
export async function updateLocationIn(tx: Tx, id: string, input: LocationInput): Promise<WriteResult<LocationRow>> {
  const fields = checkFields(input, false);
  const before = await findLive(tx, 'location', id);
  const parentId = input.parentId === undefined ? before.parentId : input.parentId;
  if (input.parentId !== undefined) await checkParent(tx, 'location', id, input.parentId);
  await checkNameFree(tx, id, parentId, fields.name ?? before.name);
  const after = await tx.location.update({
    where: { id, revision: before.revision },
    data: { ...fields, ...defined({ parentId: input.parentId }), revision: { increment: 1 } },
  });
  const action = parentId !== before.parentId ? 'moved' : 'updated';
  return { result: after, changes: [{ entityType: ENTITY, entityId: id, action, before, after }] };
}

/** Soft delete. Refused while live child locations, racks or devices are in it. */
export function deleteLocation(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findLive(tx, 'location', id);
    const live = { locationId: id, deletedAt: null };
    const contents = {
      'child location(s)': await tx.location.count({ where: { parentId: id, deletedAt: null } }),
      'rack(s)': await tx.rack.count({ where: live }),
      'device(s)': await tx.device.count({ where: live }),
    };
    const held = Object.entries(contents).filter(([, n]) => n > 0);
    if (held.length > 0) {
      const list = held.map(([what, n]) => `${n} ${what}`).join(', ');
      throw new ConflictError('id', `location ${id} still holds ${list}: move or delete them first`);
    }
    const after = await tx.location.update({ where: { id }, data: { ...softDeleted(), revision: { increment: 1 } } });
    return { result: after, changes: [{ entityType: ENTITY, entityId: id, action: 'deleted', before, after }] };
  });
}

export function restoreLocation(ctx: ServiceContext, id: string) {
  return write(ctx, async (tx) => {
    const before = await findAny(tx, 'location', id);
    if (!before.deletedAt) return { result: before, changes: [] };
    if (before.parentId) await findLive(tx, 'location', before.parentId, 'parentId');
    await checkNameFree(tx, id, before.parentId, before.name);
    const after = await tx.location.update({ where: { id }, data: { ...restored(), revision: { increment: 1 } } });
    return { result: after, changes: [{ entityType: ENTITY, entityId: id, action: 'restored', before, after }] };
  });
}
