// Parent links of self-referencing tables (devices, locations): ancestor chains and the
// cycle check every re-parenting write makes.
import type { Tx } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { Prisma } from '../../generated/sqlite/client.js';
import { findLive } from './lookup.js';

const TABLES = {
  device: { sql: Prisma.sql`"Device"`, noun: 'device' },
  location: { sql: Prisma.sql`"Location"`, noun: 'location' },
} as const;

export type TreeModel = keyof typeof TABLES;

/** The ids from `id` up to the root, nearest first, via one recursive query. */
export async function ancestorIds(tx: Tx, model: TreeModel, id: string): Promise<string[]> {
  const table = TABLES[model].sql;
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    WITH RECURSIVE up(id, parentId, hops) AS (
      SELECT "id", "parentId", 0 FROM ${table} WHERE "id" = ${id}
      UNION ALL
      SELECT t."id", t."parentId", up.hops + 1 FROM ${table} t JOIN up ON t."id" = up.parentId WHERE up.hops < 1000
    )
    SELECT id FROM up`;
  return rows.map((r) => r.id);
}

/** The new parent must be live and must not be the row itself or one of its descendants. */
export async function checkParent(tx: Tx, model: TreeModel, id: string | undefined, parentId: string | null | undefined): Promise<void> {
  if (!parentId) return;
  await findLive(tx, model, parentId, 'parentId');
  if (id && (parentId === id || (await ancestorIds(tx, model, parentId)).includes(id))) {
    const noun = TABLES[model].noun;
    throw new ValidationError(
      'parentId',
      `moving the ${noun} under ${parentId} would make a cycle: ${parentId} is the ${noun} itself or one of its descendants`,
    );
  }
}
