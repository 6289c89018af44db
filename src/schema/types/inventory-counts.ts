// Query.inventoryCounts: what an overview draws without reading every device — devices by type,
// components by state and flag, and per cabinet how many nodes are in each SMD state. Each field
// is its own aggregate statement, run only when asked for.
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';

interface CountBucket {
  key: string;
  count: number;
}

interface CabinetStates {
  xname: string;
  total: number;
  states: CountBucket[];
}

const CountBucketRef = builder.objectRef<CountBucket>('CountBucket').implement({
  description: 'How many rows share one value.',
  fields: (t) => ({
    key: t.exposeString('key'),
    count: t.exposeInt('count'),
  }),
});

const CabinetStatesRef = builder.objectRef<CabinetStates>('CabinetStates').implement({
  description: "A cabinet's nodes counted by SMD state.",
  fields: (t) => ({
    xname: t.exposeString('xname', { description: 'The cabinet xname (x1000).' }),
    total: t.exposeInt('total'),
    states: t.field({ type: [CountBucketRef], resolve: (cabinet) => cabinet.states }),
  }),
});

/** Buckets largest first, then by key, so the answer is stable. */
function buckets(rows: Array<{ key: string | null; count: number }>): CountBucket[] {
  return rows.map((row) => ({ key: row.key ?? '', count: row.count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The cabinet part of a component xname: x1000c0s0b0n0 → x1000 (undefined for xnames outside a cabinet). */
export function cabinetOf(xname: string): string | undefined {
  return /^x\d+/.exec(xname)?.[0];
}

/**
 * Devices by type, per engine in one statement. On SQLite the table is scanned in storage order:
 * through the (deviceType, …) index, checking deletedAt costs a row lookup per device (8x slower
 * at 130,000 devices).
 */
function devicesByTypeSql(engine: GraphQLContext['engine']): string {
  return engine === 'postgresql'
    ? 'SELECT "deviceType" AS key, count(*)::int AS count FROM "Device" WHERE "deletedAt" IS NULL GROUP BY "deviceType"'
    : 'SELECT "deviceType" AS key, count(*) AS count FROM "Device" NOT INDEXED WHERE "deletedAt" IS NULL GROUP BY "deviceType"';
}

/** Nodes by cabinet (the xname up to its first "c") and state, grouped by the database. */
function cabinetStatesSql(engine: GraphQLContext['engine']): string {
  const cabinet = engine === 'postgresql' ? `split_part(xname, 'c', 1)` : `substr(xname, 1, instr(xname, 'c') - 1)`;
  const count = engine === 'postgresql' ? 'count(*)::int' : 'count(*)';
  return `SELECT ${cabinet} AS cabinet, state AS key, ${count} AS count FROM "Component" WHERE type = 'Node' AND "deletedAt" IS NULL GROUP BY 1, 2`;
}

/** One root per request: fields that share an aggregate (devices, devicesByType) run it once. */
interface CountsRoot {
  byType?: Promise<CountBucket[]>;
}

function devicesByType(root: CountsRoot, ctx: GraphQLContext): Promise<CountBucket[]> {
  root.byType ??= ctx.db
    .$queryRawUnsafe<Array<{ key: string; count: number | bigint }>>(devicesByTypeSql(ctx.engine))
    .then((rows) => buckets(rows.map((row) => ({ key: row.key, count: Number(row.count) }))));
  return root.byType;
}

const InventoryCountsRef = builder.objectRef<CountsRoot>('InventoryCounts').implement({
  description: 'Aggregates of the live inventory, each computed by the database when asked for.',
  fields: (t) => ({
    devices: t.int({
      description: 'Live devices.',
      resolve: async (root, _args, ctx) => (await devicesByType(root, ctx)).reduce((sum, bucket) => sum + bucket.count, 0),
    }),
    devicesByType: t.field({
      type: [CountBucketRef],
      description: 'Live devices by deviceType.',
      resolve: (root, _args, ctx) => devicesByType(root, ctx),
    }),
    componentsByState: t.field({
      type: [CountBucketRef],
      description: 'Live components (of one HMS type, Node by default) by SMD state.',
      args: { type: t.arg.string({ defaultValue: 'Node' }) },
      resolve: async (_root, args, ctx) => {
        const rows = await ctx.db.component.groupBy({
          by: ['state'],
          where: { deletedAt: null, type: args.type ?? 'Node' },
          _count: { _all: true },
        });
        return buckets(rows.map((row) => ({ key: row.state, count: row._count._all })));
      },
    }),
    componentsByFlag: t.field({
      type: [CountBucketRef],
      description: 'Live components (of one HMS type, Node by default) by SMD flag.',
      args: { type: t.arg.string({ defaultValue: 'Node' }) },
      resolve: async (_root, args, ctx) => {
        const rows = await ctx.db.component.groupBy({
          by: ['flag'],
          where: { deletedAt: null, type: args.type ?? 'Node' },
          _count: { _all: true },
        });
        return buckets(rows.map((row) => ({ key: row.flag, count: row._count._all })));
      },
    }),
    cabinets: t.field({
      type: [CabinetStatesRef],
      description: 'Per cabinet, its live nodes by SMD state, cabinets in xname order.',
      resolve: async (_root, _args, ctx) => {
        const rows = await ctx.db.$queryRawUnsafe<Array<{ cabinet: string; key: string; count: number | bigint }>>(
          cabinetStatesSql(ctx.engine),
        );
        const byCabinet = new Map<string, CountBucket[]>();
        for (const row of rows) {
          if (!cabinetOf(row.cabinet)) continue;
          byCabinet.set(row.cabinet, [...(byCabinet.get(row.cabinet) ?? []), { key: row.key, count: Number(row.count) }]);
        }
        return [...byCabinet.entries()]
          .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
          .map(([xname, states]) => {
            const counted = buckets(states);
            return { xname, total: counted.reduce((sum, bucket) => sum + bucket.count, 0), states: counted };
          });
      },
    }),
  }),
});

builder.queryField('inventoryCounts', (t) =>
  t.field({
    type: InventoryCountsRef,
    description: 'Counts of the live inventory for dashboards: no device list is read.',
    resolve: () => ({}),
  }),
);
