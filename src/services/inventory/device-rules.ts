// The rules every device write keeps, shared by the writers for one device (device.ts) and
// for many (device-bulk.ts): field checks, placement, optimistic concurrency.
import type { Prisma, Tx } from '../../db/client.js';
import { findManyIn } from '../../db/where-in.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { validateProperties } from '../../domain/property-keys.js';
import { defined, oneOf, optionalInt, optionalObject, optionalOneOf, optionalText, requireText } from '../../domain/validate.js';
import { DEVICE_STATUSES, RACK_FACES } from '../../domain/vocabulary.js';
import { type ItemError, itemErrorAsIs } from '../core/item-error.js';

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

export interface Placement {
  rackId?: string | null;
  rackPosition?: number | null;
  locationId?: string | null;
}

/**
 * Where devices are placed: each named location and rack must be live (one query per table for
 * the whole list), a rack position needs a rack and must lie within the rack's units.
 */
export async function checkPlacements(tx: Tx, placements: Placement[], itemError: ItemError = itemErrorAsIs): Promise<void> {
  const ids = (pick: (p: Placement) => string | null | undefined) => [...new Set(placements.map(pick).filter((id): id is string => !!id))];
  const locationIds = ids((p) => p.locationId);
  const rackIds = ids((p) => p.rackId);
  const liveLocations = new Set((await findManyIn(tx, 'Location', 'id', locationIds, { select: ['id'], live: true })).map((l) => l.id));
  const racks = new Map((await findManyIn(tx, 'Rack', 'id', rackIds, { select: ['id', 'uHeight'], live: true })).map((r) => [r.id, r]));
  for (const [index, p] of placements.entries()) {
    if (p.locationId && !liveLocations.has(p.locationId)) throw itemError(index, new NotFoundError('Location', p.locationId, 'locationId'));
    if (!p.rackId) {
      if (p.rackPosition != null) throw itemError(index, new ValidationError('rackPosition', 'needs a rackId'));
      continue;
    }
    const rack = racks.get(p.rackId);
    if (!rack) throw itemError(index, new NotFoundError('Rack', p.rackId, 'rackId'));
    if (p.rackPosition != null && p.rackPosition > rack.uHeight)
      throw itemError(index, new ValidationError('rackPosition', `must be within the rack's ${rack.uHeight} units`));
  }
}

export function checkRevision(current: { revision: number }, options: WriteOptions) {
  if (options.expectedRevision !== undefined && options.expectedRevision !== current.revision) {
    throw new ConflictError('revision', `the device is at revision ${current.revision}, not ${options.expectedRevision}: reload and retry`);
  }
}

/** A guarded update (`where: {revision}`) that matched nothing lost a race to a concurrent write. */
export function staleRevision(revision: number) {
  return (error: unknown): never => {
    if ((error as { code?: string } | null)?.code === 'P2025') {
      throw new ConflictError('revision', `the device changed after revision ${revision} was read: reload and retry`);
    }
    throw error;
  };
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CreateOptions {
  /** The new device's id, for importers whose source names things by UUID (lowercase). */
  id?: string;
}
