// The device inventory as the change log says it was at one seq: each device's last event at
// or before it, unless that event left the device deleted. One statement whatever the size.
import { Prisma } from '../generated/sqlite/client.js';
import type { Db, Tx } from '../db/client.js';

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

export async function devicesAtSeq(db: Db | Tx, seq: number): Promise<DeviceState[]> {
  const rows = await db.$queryRaw<Array<{ after: unknown }>>(Prisma.sql`
    SELECT "after" FROM "ChangeEvent" WHERE "seq" IN (
      SELECT MAX("seq") FROM "ChangeEvent" WHERE "entityType" = 'Device' AND "seq" <= ${seq} GROUP BY "entityId"
    )`);
  return rows
    .map((row) => (typeof row.after === 'string' ? JSON.parse(row.after) : row.after) as DeviceState | null)
    .filter((after): after is DeviceState => after !== null && typeof after === 'object' && after.deletedAt == null)
    .sort((a, b) => a.id.localeCompare(b.id));
}
