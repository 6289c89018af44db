// Versions of the reference view, from the change log (what `git log` is to the reference
// repository): one version per request (the change events that share a requestId, e.g. one
// import), or per event when it has none. A version's uid is that requestId or eventId; the
// newest version is the store's current one. Scoped to entities, it is that entity's history.
import type { Db } from '../../db/client.js';
import { Prisma } from '../../generated/sqlite/client.js';

export interface VersionView {
  uid: string;
  /** What changed, like a commit message: "import by alice: 500 Device created, 1000 Interface created". */
  message: string;
  /** RFC 1123 ("Mon, 02 Jan 2026 15:04:05 GMT"), as the reference API writes commit dates. */
  date: string;
  author: string | null;
  type: 'version';
  /** Change events in the version (within the scope asked for). */
  changes: number;
}

const VERSION_UID = Prisma.sql`COALESCE("requestId", "eventId")`;

function scope(entityIds: string[] | undefined): Prisma.Sql {
  return entityIds ? Prisma.sql`WHERE "entityId" IN (${Prisma.join(entityIds.length ? entityIds : [''])})` : Prisma.empty;
}

/** The current version: the one of the newest change event (null on an empty log). */
export async function headVersion(db: Db): Promise<string | null> {
  const last = await db.changeEvent.findFirst({ orderBy: { seq: 'desc' }, select: { requestId: true, eventId: true } });
  return last ? (last.requestId ?? last.eventId) : null;
}

/** Versions newest first, a page of them, optionally only those touching `entityIds`. */
export async function listVersions(
  db: Db,
  page: { offset: number; limit: number },
  entityIds?: string[],
): Promise<{ total: number; items: VersionView[] }> {
  const where = scope(entityIds);
  const [counted] = await db.$queryRaw<
    Array<{ n: number | bigint }>
  >`SELECT COUNT(DISTINCT ${VERSION_UID}) AS "n" FROM "ChangeEvent" ${where}`;
  const rows = await db.$queryRaw<Array<{ uid: string; last: number | bigint; n: number | bigint }>>`
    SELECT ${VERSION_UID} AS "uid", MAX("seq") AS "last", COUNT(*) AS "n"
    FROM "ChangeEvent" ${where}
    GROUP BY ${VERSION_UID}
    ORDER BY MAX("seq") DESC
    LIMIT ${page.limit} OFFSET ${page.offset}`;
  return { total: Number(counted?.n ?? 0), items: await describe(db, rows, entityIds) };
}

/** One version, if it exists (and touched `entityIds` when given). */
export async function findVersion(db: Db, uid: string, entityIds?: string[]): Promise<VersionView | null> {
  const scoped = entityIds ? Prisma.sql`AND "entityId" IN (${Prisma.join(entityIds.length ? entityIds : [''])})` : Prisma.empty;
  const rows = await db.$queryRaw<Array<{ uid: string; last: number | bigint; n: number | bigint }>>`
    SELECT ${VERSION_UID} AS "uid", MAX("seq") AS "last", COUNT(*) AS "n"
    FROM "ChangeEvent" WHERE ("requestId" = ${uid} OR ("requestId" IS NULL AND "eventId" = ${uid})) ${scoped}
    GROUP BY ${VERSION_UID}`;
  return (await describe(db, rows, entityIds))[0] ?? null;
}

async function describe(
  db: Db,
  rows: Array<{ uid: string; last: number | bigint; n: number | bigint }>,
  entityIds?: string[],
): Promise<VersionView[]> {
  if (rows.length === 0) return [];
  const uids = rows.map((r) => r.uid);
  const scoped = entityIds ? Prisma.sql`AND "entityId" IN (${Prisma.join(entityIds.length ? entityIds : [''])})` : Prisma.empty;
  const [events, tallies] = await Promise.all([
    db.changeEvent.findMany({
      where: { seq: { in: rows.map((r) => Number(r.last)) } },
      select: { seq: true, occurredAt: true, actor: true, source: true },
    }),
    db.$queryRaw<Array<{ uid: string; entityType: string; action: string; n: number | bigint }>>`
      SELECT ${VERSION_UID} AS "uid", "entityType", "action", COUNT(*) AS "n"
      FROM "ChangeEvent" WHERE ("requestId" IN (${Prisma.join(uids)}) OR "eventId" IN (${Prisma.join(uids)})) ${scoped}
      GROUP BY ${VERSION_UID}, "entityType", "action"`,
  ]);
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  return rows.map((row) => {
    const last = bySeq.get(Number(row.last));
    const parts = tallies
      .filter((t) => t.uid === row.uid)
      .map((t) => ({ n: Number(t.n), text: `${Number(t.n)} ${t.entityType} ${t.action}` }))
      .sort((a, b) => b.n - a.n || a.text.localeCompare(b.text));
    const shown =
      parts
        .slice(0, 6)
        .map((p) => p.text)
        .join(', ') + (parts.length > 6 ? ', …' : '');
    const by = last?.actor ? ` by ${last.actor}` : '';
    return {
      uid: row.uid,
      message: `${last?.source ?? 'change'}${by}: ${shown}`,
      date: (last?.occurredAt ?? new Date(0)).toUTCString(),
      author: last?.actor ?? null,
      type: 'version' as const,
      changes: Number(row.n),
    };
  });
}

/** The entities whose events make up a node's history: the device, its interfaces and child devices (deleted ones too). */
export async function nodeEntityIds(db: Db, deviceId: string): Promise<string[]> {
  const [interfaces, children] = await Promise.all([
    db.interface.findMany({ where: { deviceId }, select: { id: true } }),
    db.device.findMany({ where: { parentId: deviceId }, select: { id: true } }),
  ]);
  return [deviceId, ...interfaces.map((i) => i.id), ...children.map((c) => c.id)];
}
