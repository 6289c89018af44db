// The shape of the live device tree, in a few numbers: what the GraphQL cost limit weighs
// tree-shaped lists (children, descendants, the devices connection) by, so that it bounds
// a query by the rows it can return on this store rather than by a guessed fan-out. Three
// aggregate statements, each one pass over the Device table; the GraphQL layer keeps the
// result for a minute (src/schema/tree-profile-cache.ts).
import type { Db } from '../../db/client.js';

export interface TreeProfile {
  /** Live devices. */
  devices: number;
  /** Live devices per device type, as stored. */
  devicesByType: Record<string, number>;
  /** The most live children one device has. */
  maxChildren: number;
  /** The most live ancestors one live device has (0: no device has a parent). */
  height: number;
  /**
   * `[k - 1]`: an upper bound of the live devices within k levels below any one device, for
   * k = 1 … height. Each tree's widest level bounds every level below any of its devices, so a
   * device's k levels hold at most min(its tree's size, k × that width).
   */
  subtreeRows: number[];
}

const count = (value: unknown) => Number(value ?? 0);

/** Most levels walked: a deeper tree (there is none in practice) counts as this deep. */
const MAX_LEVELS = 64;

export async function readTreeProfile(db: Db): Promise<TreeProfile> {
  const byType = await db.$queryRawUnsafe<Array<{ deviceType: string; n: unknown }>>(
    'SELECT "deviceType", COUNT(*) AS n FROM "Device" WHERE "deletedAt" IS NULL GROUP BY "deviceType"',
  );
  const [children] = await db.$queryRawUnsafe<Array<{ n: unknown }>>(
    `SELECT MAX(n) AS n FROM (SELECT COUNT(*) AS n FROM "Device"
       WHERE "deletedAt" IS NULL AND "parentId" IS NOT NULL GROUP BY "parentId") per_parent`,
  );
  // Devices per tree and level. A tree's root is a live device without a live parent (a
  // child of a deleted device heads its own subtree for `descendants`).
  const levels = await db.$queryRawUnsafe<Array<{ root: string; depth: unknown; n: unknown }>>(
    `WITH RECURSIVE tree(root, id, depth) AS (
       SELECT d."id", d."id", 0 FROM "Device" d LEFT JOIN "Device" p ON p."id" = d."parentId"
        WHERE d."deletedAt" IS NULL AND (d."parentId" IS NULL OR p."deletedAt" IS NOT NULL)
       UNION ALL
       SELECT t.root, d."id", t.depth + 1 FROM "Device" d JOIN tree t ON d."parentId" = t.id
        WHERE d."deletedAt" IS NULL AND t.depth < ${MAX_LEVELS}
     )
     SELECT root, depth, COUNT(*) AS n FROM tree WHERE depth > 0 GROUP BY root, depth`,
  );
  const trees = new Map<string, { size: number; width: number }>();
  let height = 0;
  for (const row of levels) {
    const n = count(row.n);
    const tree = trees.get(row.root) ?? { size: 0, width: 0 };
    tree.size += n;
    tree.width = Math.max(tree.width, n);
    trees.set(row.root, tree);
    height = Math.max(height, count(row.depth));
  }
  const maxChildren = count(children?.n);
  const subtreeRows = Array.from({ length: height }, (_, i) => {
    let most = 0;
    for (const { size, width } of trees.values()) most = Math.max(most, Math.min(size, (i + 1) * width));
    return i === 0 ? Math.min(most, maxChildren) : most;
  });
  const devicesByType = Object.fromEntries(byType.map((row) => [row.deviceType, count(row.n)]));
  const devices = Object.values(devicesByType).reduce((sum, n) => sum + n, 0);
  return { devices, devicesByType, maxChildren, height, subtreeRows };
}
