// Query.inventoryCounts: what an overview draws without reading every device — devices by type,
// components by state and flag, and per cabinet how many nodes are in each SMD state. Each field
// is its own aggregate statement, run only when asked for.
import { builder } from '../builder.js';

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

const InventoryCountsRef = builder.objectRef<Record<string, never>>('InventoryCounts').implement({
  description: 'Aggregates of the live inventory, each computed by the database when asked for.',
  fields: (t) => ({
    devices: t.int({
      description: 'Live devices.',
      resolve: (_root, _args, ctx) => ctx.db.device.count({ where: { deletedAt: null } }),
    }),
    devicesByType: t.field({
      type: [CountBucketRef],
      description: 'Live devices by deviceType.',
      resolve: async (_root, _args, ctx) => {
        const rows = await ctx.db.device.groupBy({ by: ['deviceType'], where: { deletedAt: null }, _count: { _all: true } });
        return buckets(rows.map((row) => ({ key: row.deviceType, count: row._count._all })));
      },
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
      // One narrow read (xname and state of each node: ~40 bytes a row) folded here: the cabinet is
      // a prefix of the xname, which neither engine can group by without its own SQL dialect.
      resolve: async (_root, _args, ctx) => {
        const nodes = await ctx.db.component.findMany({
          where: { deletedAt: null, type: 'Node' },
          select: { xname: true, state: true },
        });
        const byCabinet = new Map<string, Map<string, number>>();
        for (const node of nodes) {
          const cabinet = cabinetOf(node.xname);
          if (!cabinet) continue;
          const states = byCabinet.get(cabinet) ?? new Map<string, number>();
          states.set(node.state, (states.get(node.state) ?? 0) + 1);
          byCabinet.set(cabinet, states);
        }
        return [...byCabinet.entries()]
          .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
          .map(([xname, states]) => {
            const counted = buckets([...states.entries()].map(([key, count]) => ({ key, count })));
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
