// The History API's read and snapshot side: the change log by filter, snapshots (a name for a
// seq), the inventory at a snapshot or time, and diffs between two such points.

import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { looksLikeTime, parseTime } from '../../domain/time.js';
import { optionalText, requireObject, requireText } from '../../domain/validate.js';
import { type ChangeEvent, Prisma, type Snapshot } from '../../generated/sqlite/client.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import { diffInventories, type InventoryChanges } from './diff.js';
import { currentSeq, type DeviceState, devicesAtSeq, devicesTouchedBetween, seqAtTime } from './state.js';

export type { DeviceState } from './state.js';

export interface EventFilter {
  subject?: string;
  /** With a device subject: its events and those of every device below it. */
  subtree?: boolean;
  entityType?: string;
  action?: string;
  since?: Date;
  until?: Date;
  /** Only events after this seq (the previous page's `next`). */
  after?: number;
  limit: number;
}

/** Above this many devices a subtree's events are refused: the ids go to the database as a list. */
export const MAX_SUBTREE_DEVICES = 10_000;

/**
 * The device and every device below it now, deleted ones included (they keep their parent
 * link, so a removed DIMM stays in its node's history). A device moved away takes its whole
 * history with it, as it does for the deviceChanged subscription's subtreeOf.
 */
async function subtreeIds(ctx: ServiceContext, id: string): Promise<string[]> {
  const rows = await ctx.db.$queryRaw<Array<{ id: string }>>(Prisma.sql`
    WITH RECURSIVE sub(id, depth) AS (
      SELECT "id", 0 FROM "Device" WHERE "id" = ${id}
      UNION ALL
      SELECT d."id", sub.depth + 1 FROM "Device" d JOIN sub ON d."parentId" = sub.id WHERE sub.depth < 1000
    )
    SELECT id FROM sub LIMIT ${MAX_SUBTREE_DEVICES + 1}`);
  if (rows.length > MAX_SUBTREE_DEVICES) {
    throw new ValidationError('subtree', `device ${id} has more than ${MAX_SUBTREE_DEVICES} devices below it: ask for a smaller subtree`);
  }
  return rows.length ? rows.map((row) => row.id) : [id];
}

async function subjectWhere(ctx: ServiceContext, filter: EventFilter) {
  if (!filter.subject) {
    if (filter.subtree) throw new ValidationError('subtree', 'needs a subject (a device id)');
    return {};
  }
  return filter.subtree ? { entityId: { in: await subtreeIds(ctx, filter.subject) } } : { entityId: filter.subject };
}

/** Events oldest first; `next` is the cursor for the following page, null on the last. */
export async function listEvents(ctx: ServiceContext, filter: EventFilter): Promise<{ items: ChangeEvent[]; next: number | null }> {
  const rows = await ctx.db.changeEvent.findMany({
    where: {
      ...(await subjectWhere(ctx, filter)),
      ...(filter.entityType ? { entityType: filter.entityType } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.since || filter.until
        ? { occurredAt: { ...(filter.since && { gte: filter.since }), ...(filter.until && { lte: filter.until }) } }
        : {}),
      ...(filter.after !== undefined ? { seq: { gt: filter.after } } : {}),
    },
    orderBy: { seq: 'asc' },
    take: filter.limit + 1,
  });
  const items = rows.slice(0, filter.limit);
  return { items, next: rows.length > filter.limit ? items[items.length - 1].seq : null };
}

const SNAPSHOT = 'Snapshot';

/** Names the current end of the log; the inventory it stands for is rebuilt from the log on read. */
export function createSnapshot(ctx: ServiceContext, input: { name?: unknown; description?: unknown }) {
  requireObject(input, 'body');
  const name = requireText(input.name, 'name');
  const description = optionalText(input.description, 'description', 4000) ?? null;
  return write(ctx, async (tx) => {
    const snapshot = await tx.snapshot.create({ data: { name, description, seq: await currentSeq(tx) } });
    return { result: snapshot, changes: [{ entityType: SNAPSHOT, entityId: snapshot.id, action: 'created', after: snapshot }] };
  });
}

export function listSnapshots(ctx: ServiceContext): Promise<Snapshot[]> {
  return ctx.db.snapshot.findMany({ orderBy: [{ seq: 'asc' }, { takenAt: 'asc' }] });
}

export async function findSnapshot(ctx: ServiceContext, id: string, field = 'id'): Promise<Snapshot> {
  const snapshot = await ctx.db.snapshot.findUnique({ where: { id } });
  if (!snapshot) throw new NotFoundError(SNAPSHOT, id, field);
  return snapshot;
}

export async function snapshotInventory(ctx: ServiceContext, id: string): Promise<{ snapshot: Snapshot; devices: DeviceState[] }> {
  const snapshot = await findSnapshot(ctx, id);
  return { snapshot, devices: await devicesAtSeq(ctx.db, snapshot.seq) };
}

export function setPinned(ctx: ServiceContext, id: string, pinned: boolean): Promise<Snapshot> {
  return write(ctx, async (tx) => {
    const before = await tx.snapshot.findUnique({ where: { id } });
    if (!before) throw new NotFoundError(SNAPSHOT, id);
    if (before.pinned === pinned) return { result: before, changes: [] };
    const after = await tx.snapshot.update({ where: { id }, data: { pinned } });
    return { result: after, changes: [{ entityType: SNAPSHOT, entityId: id, action: 'updated', before, after }] };
  });
}

/** A point in history: a snapshot, or the log as it stood at a time. */
export interface HistoryPoint {
  seq: number;
  snapshot: Snapshot | null;
  time: Date | null;
}

/** `ref` is a snapshot id or an RFC 3339 time; `field` names it in errors. */
export async function resolvePoint(ctx: ServiceContext, ref: string, field: string): Promise<HistoryPoint> {
  if (looksLikeTime(ref)) {
    const time = parseTime(ref, field);
    return { seq: await seqAtTime(ctx.db, time), snapshot: null, time };
  }
  const snapshot = await findSnapshot(ctx, ref, field);
  return { seq: snapshot.seq, snapshot, time: null };
}

export async function devicesAsOf(ctx: ServiceContext, time: Date): Promise<DeviceState[]> {
  return devicesAtSeq(ctx.db, await seqAtTime(ctx.db, time));
}

export interface InventoryDiff extends InventoryChanges {
  from: HistoryPoint;
  to: HistoryPoint;
}

export async function diffInventory(ctx: ServiceContext, fromRef: string, toRef: string): Promise<InventoryDiff> {
  const from = await resolvePoint(ctx, fromRef, 'from');
  const to = await resolvePoint(ctx, toRef, 'to');
  const states = await devicesTouchedBetween(ctx.db, from.seq, to.seq);
  return { from, to, ...diffInventories(states.from, states.to) };
}
