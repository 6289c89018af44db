// Versions of the reference view, from the change log (what `git log` is to the reference
// repository): one version per request (the change events that share a requestId, e.g. one
// import), or per event when it has none. A version's uid is that requestId or eventId; the
// newest version is the store's current one. Scoped, a list of versions is what
// `git log -- <path>` is to the repository: the versions that changed anything in an item's
// file or directory (a site's: its record, clusters, flavors and the clusters' nodes).
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

/**
 * What a list of versions is about: the entities `ids`, plus nodes (the members of the groups
 * `nodesOf`, and the devices `nodes`) with their interfaces and child devices, deleted ones too.
 * Undefined scope: the whole store.
 */
export interface VersionScope {
  ids: string[];
  nodesOf?: string[];
  nodes?: string[];
}

type Row = { uid: string; last: number | bigint; n: number | bigint };

const VERSION_UID = Prisma.sql`COALESCE("requestId", "eventId")`;
const isVersion = (uid: string) => Prisma.sql`("requestId" = ${uid} OR ("requestId" IS NULL AND "eventId" = ${uid}))`;
const list = (values: string[]) => Prisma.join(values.length ? values : ['']);

/** The scope as a condition on change events (TRUE for the whole store). */
function inScope(scope: VersionScope | undefined): Prisma.Sql {
  if (!scope) return Prisma.sql`1 = 1`;
  const nodeSets: Prisma.Sql[] = [];
  if (scope.nodesOf?.length)
    nodeSets.push(Prisma.sql`SELECT "deviceId" FROM "GroupMember" WHERE "groupId" IN (${list(scope.nodesOf)}) AND "deviceId" IS NOT NULL`);
  if (scope.nodes?.length) nodeSets.push(Prisma.sql`SELECT "id" FROM "Device" WHERE "id" IN (${list(scope.nodes)})`);
  const own = Prisma.sql`"entityId" IN (${list(scope.ids)})`;
  if (nodeSets.length === 0) return own;
  const nodes = Prisma.join(nodeSets, ' UNION ');
  return Prisma.sql`(${own} OR "entityId" IN (
    ${nodes}
    UNION SELECT "id" FROM "Interface" WHERE "deviceId" IN (${nodes})
    UNION SELECT "id" FROM "Device" WHERE "parentId" IN (${nodes})))`;
}

/** The newest change event: the current version and when it was made (null on an empty log). */
export async function headOf(db: Db): Promise<{ version: string; at: Date } | null> {
  const last = await db.changeEvent.findFirst({ orderBy: { seq: 'desc' }, select: { requestId: true, eventId: true, occurredAt: true } });
  return last ? { version: last.requestId ?? last.eventId, at: last.occurredAt } : null;
}

/** The current version: the one of the newest change event (null on an empty log). */
export async function headVersion(db: Db): Promise<string | null> {
  return (await headOf(db))?.version ?? null;
}

/** Versions newest first, a page of them, optionally only those within `scope`. */
export async function listVersions(
  db: Db,
  page: { offset: number; limit: number },
  scope?: VersionScope,
): Promise<{ total: number; items: VersionView[] }> {
  const where = inScope(scope);
  const [counted] = await db.$queryRaw<
    Array<{ n: number | bigint }>
  >`SELECT COUNT(DISTINCT ${VERSION_UID}) AS "n" FROM "ChangeEvent" WHERE ${where}`;
  const total = Number(counted?.n ?? 0);
  if (page.offset >= total) return { total, items: [] };
  const rows = await db.$queryRaw<Row[]>`
    SELECT ${VERSION_UID} AS "uid", MAX("seq") AS "last", COUNT(*) AS "n"
    FROM "ChangeEvent" WHERE ${where}
    GROUP BY ${VERSION_UID}
    ORDER BY MAX("seq") DESC
    LIMIT ${page.limit} OFFSET ${page.offset}`;
  return { total, items: await describe(db, rows, where) };
}

/**
 * A version as seen from `scope`: the version itself when it changed something there; else,
 * when it is a version of the store, the scope's version in effect at it (what the item was
 * then, as `git show <commit>:<path>` shows the file as last changed at or before the commit),
 * which is how an item's `version` link (the store's current version) always resolves. Null
 * when the store has no such version, or the scope had none by then.
 */
export async function findVersion(db: Db, uid: string, scope?: VersionScope): Promise<VersionView | null> {
  const where = inScope(scope);
  const rows = await db.$queryRaw<Row[]>`
    SELECT ${VERSION_UID} AS "uid", MAX("seq") AS "last", COUNT(*) AS "n"
    FROM "ChangeEvent" WHERE ${isVersion(uid)} AND ${where}
    GROUP BY ${VERSION_UID}`;
  if (rows.length || !scope) return (await describe(db, rows, where))[0] ?? null;
  const [at] = await db.$queryRaw<Array<{ last: number | bigint | null }>>`
    SELECT MAX("seq") AS "last" FROM "ChangeEvent" WHERE ${isVersion(uid)}`;
  if (at?.last === null || at?.last === undefined) return null;
  const [effective] = await db.$queryRaw<Array<{ seq: number | bigint }>>`
    SELECT MAX("seq") AS "seq" FROM "ChangeEvent" WHERE ${where} AND "seq" <= ${Number(at.last)}`;
  if (effective?.seq === null || effective?.seq === undefined) return null;
  const event = await db.changeEvent.findUniqueOrThrow({
    where: { seq: Number(effective.seq) },
    select: { requestId: true, eventId: true },
  });
  return findVersion(db, event.requestId ?? event.eventId, scope);
}

async function describe(db: Db, rows: Row[], where: Prisma.Sql): Promise<VersionView[]> {
  if (rows.length === 0) return [];
  const uids = rows.map((r) => r.uid);
  const [events, tallies] = await Promise.all([
    db.changeEvent.findMany({
      where: { seq: { in: rows.map((r) => Number(r.last)) } },
      select: { seq: true, occurredAt: true, actor: true, source: true },
    }),
    db.$queryRaw<Array<{ uid: string; entityType: string; action: string; n: number | bigint }>>`
      SELECT ${VERSION_UID} AS "uid", "entityType", "action", COUNT(*) AS "n"
      FROM "ChangeEvent" WHERE ("requestId" IN (${Prisma.join(uids)}) OR "eventId" IN (${Prisma.join(uids)})) AND ${where}
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
