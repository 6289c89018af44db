// Cables attached to devices: one query finds (device, cable) pairs through interfaces and
// terminations, one findMany loads the cables with the GraphQL selection.
import type { Db } from '../db/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { BatchFetch } from './selection-loader.js';

type CableRow = Prisma.CableGetPayload<object>;

export function cablesOfDevices(db: Db): BatchFetch<CableRow> {
  return async (deviceIds, query) => {
    const pairs = await db.$queryRaw<Array<{ deviceId: string; cableId: string }>>`
      SELECT DISTINCT i."deviceId" AS "deviceId", t."cableId" AS "cableId"
      FROM "CableTermination" t JOIN "Interface" i ON i."id" = t."interfaceId"
      WHERE t."live" = ${true} AND i."deviceId" IN (${Prisma.join(deviceIds)})`;
    if (pairs.length === 0) return new Map();
    const cables = (await db.cable.findMany({
      ...(query as object),
      where: { id: { in: [...new Set(pairs.map((p) => p.cableId))] }, deletedAt: null },
      orderBy: [{ label: 'asc' }, { id: 'asc' }],
    })) as CableRow[];
    const byId = new Map(cables.map((c) => [c.id, c]));
    const grouped = new Map<string, CableRow[]>();
    for (const { deviceId, cableId } of pairs) {
      const cable = byId.get(cableId);
      if (cable) grouped.set(deviceId, [...(grouped.get(deviceId) ?? []), cable]);
    }
    return grouped;
  };
}
