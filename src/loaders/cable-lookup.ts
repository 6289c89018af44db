// Cables attached to devices: one query finds (device, cable) pairs through interfaces and
// terminations, one findMany loads the cables with the GraphQL selection, by label, then id.
// SQL twin: deviceCables in src/schema/compiled-read/cable-sql.ts.
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
    // Each device's cables in the findMany's order (label, then id), not the pairs' (DISTINCT
    // returns them in no set order).
    const devicesOf = new Map<string, string[]>();
    for (const { deviceId, cableId } of pairs) devicesOf.set(cableId, [...(devicesOf.get(cableId) ?? []), deviceId]);
    const grouped = new Map<string, CableRow[]>();
    for (const cable of cables) {
      for (const deviceId of devicesOf.get(cable.id) ?? []) grouped.set(deviceId, [...(grouped.get(deviceId) ?? []), cable]);
    }
    return grouped;
  };
}
