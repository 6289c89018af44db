// Whole subtrees and ancestor chains of devices: one recursive query finds the ids for every
// requested root at once, one findMany loads them with the GraphQL selection.

import type { Db } from '../db/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { BatchFetch } from './selection-loader.js';

type DeviceRow = Prisma.DeviceGetPayload<object>;

async function loadByIds(db: Db, query: object, ids: string[]): Promise<Map<string, DeviceRow>> {
  if (ids.length === 0) return new Map();
  const rows = (await db.device.findMany({ ...(query as object), where: { id: { in: ids } } })) as DeviceRow[];
  return new Map(rows.map((row) => [row.id, row]));
}

/** Live descendants of each root down to `maxDepth` levels, ordered by depth then name. */
export function descendantsFetcher(db: Db, maxDepth: number): BatchFetch<DeviceRow> {
  return async (rootIds, query) => {
    const links = await db.$queryRaw<Array<{ root: string; id: string; depth: number | bigint }>>`
      WITH RECURSIVE sub(root, id, depth) AS (
        SELECT "id", "id", 0 FROM "Device" WHERE "id" IN (${Prisma.join(rootIds)})
        UNION ALL
        SELECT sub.root, d."id", sub.depth + 1 FROM "Device" d JOIN sub ON d."parentId" = sub.id
        WHERE sub.depth < ${maxDepth} AND d."deletedAt" IS NULL
      )
      SELECT root, id, depth FROM sub WHERE depth > 0`;
    const rows = await loadByIds(db, query, [...new Set(links.map((l) => l.id))]);
    const grouped = new Map<string, Array<{ depth: number; row: DeviceRow }>>();
    for (const link of links) {
      const row = rows.get(link.id);
      if (!row) continue;
      const list = grouped.get(link.root) ?? [];
      list.push({ depth: Number(link.depth), row });
      grouped.set(link.root, list);
    }
    return new Map(
      [...grouped].map(([root, list]) => [
        root,
        list
          .sort((a, b) => a.depth - b.depth || (a.row.name ?? '').localeCompare(b.row.name ?? '') || a.row.id.localeCompare(b.row.id))
          .map((entry) => entry.row),
      ]),
    );
  };
}

/** Ancestors of each device, nearest first. */
export function ancestorsFetcher(db: Db): BatchFetch<DeviceRow> {
  return async (ids, query) => {
    const links = await db.$queryRaw<Array<{ start: string; id: string; hops: number | bigint }>>`
      WITH RECURSIVE up(start, id, parentId, hops) AS (
        SELECT "id", "id", "parentId", 0 FROM "Device" WHERE "id" IN (${Prisma.join(ids)})
        UNION ALL
        SELECT up.start, d."id", d."parentId", up.hops + 1 FROM "Device" d JOIN up ON d."id" = up.parentId
        WHERE up.hops < 1000
      )
      SELECT start, id, hops FROM up WHERE hops > 0`;
    const rows = await loadByIds(db, query, [...new Set(links.map((l) => l.id))]);
    const grouped = new Map<string, DeviceRow[]>();
    for (const link of links.sort((a, b) => Number(a.hops) - Number(b.hops))) {
      const row = rows.get(link.id);
      if (row) grouped.set(link.start, [...(grouped.get(link.start) ?? []), row]);
    }
    return grouped;
  };
}
