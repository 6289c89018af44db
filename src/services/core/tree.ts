// Parent links of self-referencing tables (devices, locations): ancestor chains and the
// cycle check every re-parenting write makes, for one row or for a whole batch at once.
import { engineOf, type Tx } from '../../db/client.js';
import { danglingKey } from '../../db/deferred-keys.js';
import { findManyIn } from '../../db/where-in.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { Prisma } from '../../generated/sqlite/client.js';
import { type ItemError, itemErrorAsIs } from './item-error.js';
import { findLive } from './lookup.js';

const TABLES = {
  device: { sql: Prisma.sql`"Device"`, noun: 'device', entity: 'Device' },
  location: { sql: Prisma.sql`"Location"`, noun: 'location', entity: 'Location' },
} as const;

export type TreeModel = keyof typeof TABLES;

/** Deeper than any real tree; a chain this long is cut rather than followed forever. */
const MAX_HOPS = 1000;

/**
 * The parent links of `ids` and of all their ancestors, in one recursive query. On PostgreSQL
 * each row is looked up through a LATERAL subquery (LIMIT 1 keeps the planner from flattening it
 * back into a join): as a plain join, PostgreSQL hashed the whole table once per level and found
 * the list's rows by a sequential scan, 440 ms for 1,750 devices of a 130,000-device store
 * (EXPLAIN ANALYZE; 60 ms this way), which made the links of a 10,000-node cani import 7.3 s.
 * SQLite has no LATERAL, and its planner already walks the primary key. The list is one
 * parameter on both (an array; JSON text for SQLite's json_each), as in db/where-in.ts.
 */
async function ancestorLinks(tx: Tx, model: TreeModel, ids: string[]): Promise<Map<string, string | null>> {
  const table = TABLES[model].sql;
  const byKey = (key: Prisma.Sql) => Prisma.sql`LATERAL (SELECT "id", "parentId" FROM ${table} WHERE "id" = ${key} LIMIT 1)`;
  const [start, step] =
    engineOf(tx) === 'postgresql'
      ? [
          Prisma.sql`FROM unnest(${ids}::text[]) AS k(id) CROSS JOIN ${byKey(Prisma.sql`k.id`)} t`,
          Prisma.sql`FROM up CROSS JOIN ${byKey(Prisma.sql`up.parentId`)} t`,
        ]
      : [
          Prisma.sql`FROM ${table} t WHERE t."id" IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
          Prisma.sql`FROM ${table} t JOIN up ON t."id" = up.parentId`,
        ];
  const rows = await tx.$queryRaw<Array<{ id: string; parentId: string | null }>>`
    WITH RECURSIVE up(id, parentId, hops) AS (
      SELECT t."id", t."parentId", 0 ${start}
      UNION ALL
      SELECT t."id", t."parentId", up.hops + 1 ${step} WHERE up.hops < ${MAX_HOPS}
    )
    SELECT DISTINCT id, parentId AS "parentId" FROM up`;
  return new Map(rows.map((r) => [r.id, r.parentId]));
}

/** The ids from `id` up to the root, nearest first, via one recursive query. */
export async function ancestorIds(tx: Tx, model: TreeModel, id: string): Promise<string[]> {
  const links = await ancestorLinks(tx, model, [id]);
  const chain: string[] = [];
  for (let at: string | null | undefined = links.has(id) ? id : undefined; at && chain.length <= MAX_HOPS; at = links.get(at))
    chain.push(at);
  return chain;
}

export interface ParentLink {
  /** The row being written (undefined: a new row, which cannot close a cycle). */
  id?: string;
  /** Its new parent (null or undefined: none, or not changed). */
  parentId: string | null | undefined;
}

/**
 * Every new parent must be live, and no row may end up its own ancestor once all `links` are
 * applied together: the ancestor chains of all new parents are read in one query and walked
 * with the new links laid over them. Two queries for any number of links.
 */
export async function checkParents(tx: Tx, model: TreeModel, links: ParentLink[], itemError: ItemError = itemErrorAsIs): Promise<void> {
  const parents = [...new Set(links.map((l) => l.parentId).filter((p): p is string => Boolean(p)))];
  if (parents.length === 0) return;
  const live = new Set((await findManyIn(tx, TABLES[model].entity, 'id', parents, { select: ['id'], live: true })).map((r) => r.id));
  const missing = links.findIndex((l) => l.parentId && !live.has(l.parentId));
  if (missing >= 0) throw itemError(missing, new NotFoundError(TABLES[model].entity, links[missing].parentId as string, 'parentId'));
  const moving = links.filter((l) => l.id && l.parentId);
  if (moving.length === 0) return;
  const chains = await ancestorLinks(tx, model, parents);
  for (const link of moving) chains.set(link.id as string, link.parentId as string);
  for (const [index, link] of links.entries()) {
    if (!link.id || !link.parentId) continue;
    let at: string | null | undefined = link.parentId;
    for (let hops = 0; at && hops <= MAX_HOPS; hops++) {
      if (at === link.id) {
        const noun = TABLES[model].noun;
        throw itemError(
          index,
          new ValidationError(
            'parentId',
            `moving the ${noun} under ${link.parentId} would make a cycle: ${link.parentId} is the ${noun} itself or one of its descendants`,
          ),
        );
      }
      at = chains.get(at);
    }
  }
}

/** The new parent must be live and must not be the row itself or one of its descendants. */
export async function checkParent(tx: Tx, model: TreeModel, id: string | undefined, parentId: string | null | undefined): Promise<void> {
  if (!parentId) return;
  if (!id) {
    await findLive(tx, model, parentId, 'parentId');
    return;
  }
  await checkParents(tx, model, [{ id, parentId }]);
}

/**
 * Before a transaction that wrote devices ahead of their parent commits (createDevicesIn's
 * `parentLater`, which defers the key): no row names a row that does not exist. The writer
 * checks each link as its parent comes; this stops a missed one before the commit would
 * (db/deferred-keys.ts).
 */
export async function refuseDanglingKeys(tx: Tx): Promise<void> {
  const dangling = await danglingKey(tx);
  if (dangling) throw new NotFoundError(dangling.references, dangling.value, dangling.column);
}
