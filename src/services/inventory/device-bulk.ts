// Writing thousands of devices in one transaction (a scan's approval, an import's batch) in a
// few statements instead of several per device, with createDeviceIn's and updateDeviceIn's
// rules: the same field checks, a parent must be live (or created earlier in the same list)
// and never a descendant, a placement's rack and location live, a live manufacturer + serial
// number is a 409. An error names the item at fault through the caller's `itemError`.
import { randomUUID } from 'node:crypto';
import { createManyReturning } from '../../db/bulk-insert.js';
import { updateRowsById } from '../../db/bulk-update.js';
import type { Prisma, Tx } from '../../db/client.js';
import { deferDeviceParentKey } from '../../db/deferred-keys.js';
import { findManyIn } from '../../db/where-in.js';
import { rowAsUpdated } from '../../db/written-rows.js';
import { ConflictError, type InventoryError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { defined } from '../../domain/validate.js';
import type { Change } from '../core/change-log.js';
import { eachChecked, type ItemError, itemErrorAsIs } from '../core/item-error.js';
import { translateDatabaseError } from '../core/transaction.js';
import { checkParents } from '../core/tree.js';
import { checkFields, checkPlacements, checkRevision, type DeviceInput, staleRevision, UUID_PATTERN } from './device-rules.js';

type DeviceRow = Prisma.DeviceGetPayload<object>;

export interface NewDevice {
  input: DeviceInput;
  /** The id to give it, so later items can name it as their parent; made here when absent. */
  id?: string;
}

export interface DeviceUpdate {
  id: string;
  input: DeviceInput;
  /** Optimistic concurrency: the revision the caller last saw. */
  expectedRevision?: number;
}

export interface BulkOptions {
  /** Turns an item's error into the caller's (e.g. naming the record it came from). */
  itemError?: ItemError;
}

export interface CreateOptions extends BulkOptions {
  /**
   * Parents that are not written yet and that the caller writes later in this transaction (a
   * cani import reads devices in UUID order, so a node may come before its blade). An item under
   * one is written at once, linked: the parent key is checked when the transaction commits, and
   * the caller checks the link with checkLaterParents once the parent is written.
   */
  parentLater?: (parentId: string) => boolean;
}

export interface UpdateOptions extends BulkOptions {
  /**
   * Rows the caller read in this transaction (an import's batch): not read again. A row changed
   * since fails its revision check, a conflict, as any write racing this one would.
   */
  rows?: ReadonlyMap<string, DeviceRow>;
}

/** Columns of the Device table's unique keys (manufacturer + serial, FRU id, rack slot). */
const KEY_COLUMNS = new Set(['manufacturer', 'serialNumber', 'fruId', 'rackId', 'rackPosition', 'rackFace']);

const serialKey = (manufacturer: string | null | undefined, serialNumber: string | null | undefined) =>
  manufacturer && serialNumber ? `${manufacturer}\u0000${serialNumber}` : undefined;

/** The unique key (manufacturer, serialNumber) only binds when both are set, as in the database. */
async function refuseTakenSerials(
  tx: Tx,
  fields: Array<{ manufacturer?: string | null; serialNumber?: string | null }>,
  itemError: ItemError,
): Promise<void> {
  const seen = new Map<string, number>();
  for (const [index, f] of fields.entries()) {
    const key = serialKey(f.manufacturer, f.serialNumber);
    if (!key) continue;
    if (seen.has(key))
      throw itemError(
        index,
        new ConflictError(
          'manufacturer.serialNumber',
          `a Device with the same manufacturer, serialNumber (${f.manufacturer} ${f.serialNumber}) already exists earlier in this write`,
        ),
      );
    seen.set(key, index);
  }
  if (seen.size === 0) return;
  const serials = [...new Set(fields.map((f) => f.serialNumber).filter((s): s is string => !!s))];
  const taken = await findManyIn(tx, 'Device', 'serialNumber', serials, { select: ['id', 'manufacturer', 'serialNumber'], live: true });
  const clash = taken.find((d) => seen.has(serialKey(d.manufacturer, d.serialNumber) as string));
  if (clash)
    throw itemError(
      seen.get(serialKey(clash.manufacturer, clash.serialNumber) as string) as number,
      new ConflictError('manufacturer.serialNumber', `a live Device with the same manufacturer, serialNumber already exists (${clash.id})`),
    );
}

/**
 * Creates `items` in order, each after its parent: by level, one multi-row INSERT per level.
 * Returns the rows in input order and their 'created' changes for the caller to log.
 */
export async function createDevicesIn(
  tx: Tx,
  items: NewDevice[],
  { itemError = itemErrorAsIs, parentLater }: CreateOptions = {},
): Promise<{ result: DeviceRow[]; changes: Change[] }> {
  for (const [index, { id }] of items.entries())
    if (id !== undefined && !UUID_PATTERN.test(id))
      throw itemError(index, new ValidationError('id', `must be a lowercase UUID (got ${JSON.stringify(id)})`));
  const fields = eachChecked(items, ({ input }) => checkFields(input, true), itemError);
  const planned = items.map(({ input, id }, index) => ({ id: id ?? randomUUID(), input, fields: fields[index], level: 0, index }));
  const levelOf = new Map<string, number>();
  const outside: Array<{ parentId: string; index: number }> = [];
  let linkedAhead = false;
  for (const item of planned) {
    const parentId = item.input.parentId;
    if (parentId && levelOf.has(parentId)) item.level = (levelOf.get(parentId) as number) + 1;
    else if (parentId && parentLater?.(parentId)) linkedAhead = true;
    else if (parentId) outside.push({ parentId, index: item.index });
    levelOf.set(item.id, item.level);
  }
  // A new row closes no cycle: only its parent's liveness is checked.
  await checkParents(
    tx,
    'device',
    outside.map(({ parentId }) => ({ parentId })),
    (i, error) => itemError(outside[i].index, error),
  );
  await checkPlacements(
    tx,
    planned.map((p) => ({ rackId: p.input.rackId, rackPosition: p.fields.rackPosition, locationId: p.input.locationId })),
    itemError,
  );
  await refuseTakenSerials(tx, fields, itemError);
  if (linkedAhead) await deferDeviceParentKey(tx);

  const created = new Map<string, DeviceRow>();
  const levels = Math.max(-1, ...planned.map((p) => p.level)) + 1;
  for (let level = 0; level < levels; level += 1) {
    const rows = await createManyReturning<DeviceRow>(
      tx,
      'Device',
      planned
        .filter((p) => p.level === level)
        .map((p) => ({
          properties: {},
          providerMetadata: {},
          externalIds: {},
          ...p.fields,
          id: p.id,
          deviceType: p.fields.deviceType as string,
          parentId: p.input.parentId ?? null,
          rackId: p.input.rackId ?? null,
          locationId: p.input.locationId ?? null,
        })),
    );
    for (const row of rows) created.set(row.id, row);
  }
  const result = planned.map((p) => created.get(p.id) as DeviceRow);
  return {
    result,
    changes: result.map((device) => ({ entityType: 'Device', entityId: device.id, action: 'created' as const, after: device })),
  };
}

/**
 * Devices written ahead of their parent (createDevicesIn's `parentLater`), checked once the
 * parent is written: it must be live and must not be the device itself or one of its
 * descendants (the rule a move under a new parent follows).
 */
export async function checkLaterParents(
  tx: Tx,
  links: Array<{ id: string; parentId: string }>,
  { itemError = itemErrorAsIs }: BulkOptions = {},
): Promise<void> {
  await checkParents(tx, 'device', links, itemError);
}

/**
 * Updates each device with the fields its input gives: the rows, parents and placements are read and checked for the whole list in a few
 * queries, then each row is written (one UPDATE per device). Changes in input order.
 */
export async function updateDevicesIn(
  tx: Tx,
  items: DeviceUpdate[],
  { itemError = itemErrorAsIs, rows: known }: UpdateOptions = {},
): Promise<{ result: DeviceRow[]; changes: Change[] }> {
  if (items.length === 0) return { result: [], changes: [] };
  const fields = eachChecked(items, ({ input }) => checkFields(input, false), itemError);
  const unread = [...new Set(items.map((item) => item.id))].filter((id) => !known?.has(id));
  const befores = new Map(known);
  for (const row of await findManyIn(tx, 'Device', 'id', unread)) befores.set(row.id, row);
  const rows = items.map(({ id }, index) => {
    const row = befores.get(id);
    if (!row || row.deletedAt) throw itemError(index, new NotFoundError('Device', id));
    try {
      checkRevision(row, items[index]);
    } catch (error) {
      throw itemError(index, error as InventoryError);
    }
    return row;
  });
  await checkParents(
    tx,
    'device',
    items.map(({ id, input }) => ({ id, parentId: input.parentId })),
    itemError,
  );
  await checkPlacements(
    tx,
    items.map(({ input }, index) => ({
      rackId: input.rackId === undefined ? rows[index].rackId : input.rackId,
      rackPosition: fields[index].rackPosition === undefined ? rows[index].rackPosition : fields[index].rackPosition,
      locationId: input.locationId === undefined ? rows[index].locationId : input.locationId,
    })),
    itemError,
  );
  const data = items.map(({ input }, index) => ({
    ...fields[index],
    ...defined({ parentId: input.parentId, rackId: input.rackId, locationId: input.locationId }),
  }));
  // Rows whose new values touch no unique key are written together (a statement per set of
  // fields); one that could clash with a key is written alone, so a clash names its item.
  const together: number[] = [];
  const after = new Map<string, DeviceRow>();
  for (const [index, { id }] of items.entries()) {
    if (!Object.keys(data[index]).some((column) => KEY_COLUMNS.has(column))) {
      together.push(index);
      continue;
    }
    const before = rows[index];
    after.set(
      id,
      await tx.device
        .update({ where: { id, revision: before.revision }, data: { ...data[index], revision: { increment: 1 } } })
        .catch(staleRevision(before.revision))
        .catch((error) => {
          throw itemError(index, translateDatabaseError(error) as InventoryError);
        }),
    );
  }
  const updates = together.map((index) => ({ id: items[index].id, revision: rows[index].revision, data: data[index] }));
  const now = new Date();
  if ((await updateRowsById(tx, 'Device', updates, now)) !== updates.length)
    throw itemError(together[0], new ConflictError('revision', 'a device changed after it was read: reload and retry'));
  for (const [i, index] of together.entries()) after.set(updates[i].id, rowAsUpdated('Device', rows[index], data[index], now));
  const result = items.map(({ id }) => after.get(id) as DeviceRow);
  const changes: Change[] = items.map(({ id, input }, index) => ({
    entityType: 'Device',
    entityId: id,
    action: input.parentId !== undefined && input.parentId !== rows[index].parentId ? 'moved' : 'updated',
    before: rows[index],
    after: result[index],
  }));
  return { result, changes };
}
