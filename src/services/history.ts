// The History API's read and snapshot side: the change log by filter, snapshots (a name for a
// seq), the inventory at a snapshot or time, and diffs between two such points.
import type { ChangeEvent, Snapshot } from '../generated/sqlite/client.js';
import { NotFoundError } from '../domain/errors.js';
import { looksLikeTime, parseTime } from '../domain/time.js';
import { optionalText, requireObject, requireText } from '../domain/validate.js';
import type { ServiceContext } from './context.js';
import { type InventoryChanges, diffInventories } from './history-diff.js';
import { type DeviceState, currentSeq, devicesAtSeq, seqAtTime } from './history-state.js';
import { write } from './transaction.js';

export type { DeviceState } from './history-state.js';

export interface EventFilter {
  subject?: string;
  entityType?: string;
  action?: string;
  since?: Date;
  until?: Date;
  /** Only events after this seq (the previous page's `next`). */
  after?: number;
  limit: number;
}

/** Events oldest first; `next` is the cursor for the following page, null on the last. */
export async function listEvents(ctx: ServiceContext, filter: EventFilter): Promise<{ items: ChangeEvent[]; next: number | null }> {
  const rows = await ctx.db.changeEvent.findMany({
    where: {
      ...(filter.subject ? { entityId: filter.subject } : {}),
      ...(filter.entityType ? { entityType: filter.entityType } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.since || filter.until ? { occurredAt: { ...(filter.since && { gte: filter.since }), ...(filter.until && { lte: filter.until }) } } : {}),
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
  const [before, after] = await Promise.all([devicesAtSeq(ctx.db, from.seq), devicesAtSeq(ctx.db, to.seq)]);
  return { from, to, ...diffInventories(before, after) };
}
