// The device inventory as the change log says it was at one seq: each device's last event at
// or before it, unless that event left the device deleted. One statement whatever the size.

import type { Db, Tx } from '../../db/client.js';
import { Prisma } from '../../generated/sqlite/client.js';

export type DeviceState = Record<string, unknown> & { id: string };

/** The highest seq in the log (0 for an empty log). */
export async function currentSeq(db: Db | Tx): Promise<number> {
  const { _max } = await db.changeEvent.aggregate({ _max: { seq: true } });
  return _max.seq ?? 0;
}

/** The highest seq that had happened by `time`. */
export async function seqAtTime(db: Db | Tx, time: Date): Promise<number> {
  const { _max } = await db.changeEvent.aggregate({ _max: { seq: true }, where: { occurredAt: { lte: time } } });
  return _max.seq ?? 0;
}

/** An event's `after` as a live device's state, or null (none yet, or deleted). */
function liveState(after: unknown): DeviceState | null {
  const state = (typeof after === 'string' ? JSON.parse(after) : after) as DeviceState | null;
  return state !== null && typeof state === 'object' && state.deletedAt == null ? state : null;
}

const byId = (a: DeviceState, b: DeviceState) => a.id.localeCompare(b.id);

export async function devicesAtSeq(db: Db | Tx, seq: number): Promise<DeviceState[]> {
  const rows = await db.$queryRaw<Array<{ after: unknown }>>(Prisma.sql`
    SELECT "after" FROM "ChangeEvent" WHERE "seq" IN (
      SELECT MAX("seq") FROM "ChangeEvent" WHERE "entityType" = 'Device' AND "seq" <= ${seq} GROUP BY "entityId"
    )`);
  return rows
    .map((row) => liveState(row.after))
    .filter((state): state is DeviceState => state !== null)
    .sort(byId);
}

/** A device's last event at or before `seq`, read through the (entityType, entityId, seq) index. */
const stateAt = (seq: number) => Prisma.sql`(
  SELECT e."after" FROM "ChangeEvent" e
  WHERE e."entityType" = 'Device' AND e."entityId" = touched."entityId" AND e."seq" <= ${seq}
  ORDER BY e."seq" DESC LIMIT 1)`;

/**
 * The live devices at `fromSeq` and at `toSeq`, of only the devices with an event between the
 * two: every other device's last event is the same at both points, so it cannot differ. One
 * statement, whose cost follows the events in between, not the size of the inventory.
 */
export async function devicesTouchedBetween(
  db: Db | Tx,
  fromSeq: number,
  toSeq: number,
): Promise<{ from: DeviceState[]; to: DeviceState[] }> {
  const [low, high] = fromSeq <= toSeq ? [fromSeq, toSeq] : [toSeq, fromSeq];
  const rows = await db.$queryRaw<Array<{ before: unknown; after: unknown }>>(Prisma.sql`
    SELECT ${stateAt(fromSeq)} AS "before", ${stateAt(toSeq)} AS "after"
    FROM (SELECT DISTINCT "entityId" FROM "ChangeEvent" WHERE "entityType" = 'Device' AND "seq" > ${low} AND "seq" <= ${high}) touched`);
  const states = (pick: 'before' | 'after') =>
    rows
      .map((row) => liveState(row[pick]))
      .filter((state): state is DeviceState => state !== null)
      .sort(byId);
  return { from: states('before'), to: states('after') };
}
