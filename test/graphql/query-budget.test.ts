// The query budget: a nested GraphQL read costs a fixed number of SQL statements whatever the
// data size. Two synthetic clusters (~1,000 and ~20,000 devices) answer the same documents;
// the statement counts (x-sql-statements) must be equal and within the budget, and the
// answers complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster, nodesForDevices, type SyntheticCluster } from '../../src/fixtures/synthetic-cluster.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

// The 5-level device tree Cabinet → Chassis → Blade → Node → DIMM/GPU/NIC, with positions on
// two levels. Relation levels, each at most one statement (Prisma's 'query' strategy issues
// exactly one per level; PostgreSQL's 'join' strategy folds them all into the root one):
//   1 devices (the cabinets)
//   2 position → open installation of each cabinet      3 → its component
//   4 children (chassis, switch)   5 children (blades)   6 children (nodes, BMCs)
//   7 position → open installation of each node         8 → its component
//   9 children (DIMMs, GPUs, NIC)
// plus one for totalCount: TREE_BUDGET = 9 + 1 = 10.
const TREE = `{ devices(first: 500, filter: { deviceType: ["Cabinet"] }) { totalCount edges { node {
  name position { xname state }
  children { name children { name children { name position { xname nid } children { name deviceType serialNumber } } } }
} } } }`;
const TREE_BUDGET = 10;

// descendants(maxDepth) under every cabinet: the cabinets (1), one recursive CTE for all
// roots' ids (2), one findMany of those ids with the selection (3). No totalCount.
const SUBTREE = `{ devices(first: 500, filter: { deviceType: ["Cabinet"] }) { edges { node {
  name descendants(maxDepth: 4) { name deviceType }
} } } }`;
const SUBTREE_BUDGET = 3;

interface Size {
  label: string;
  gw: TestGateway;
  cluster: SyntheticCluster;
}

const sizes: Size[] = [];

// Prisma assumes 999 bind parameters for SQLite unless the driver adapter reports its real
// limit (getConnectionInfo().maxBindValues; better-sqlite3's SQLite allows 32,766). With 999 an
// ordered relation level over more than 999 parents fails with P2029 and an unordered one is
// split into several statements, so both budgets break at ~20k devices.
const SQLITE_LIMIT_HINT =
  'on SQLite this needs the driver adapter to report maxBindValues 32766 (src/db/adapter.ts); Prisma assumes 999 otherwise';

beforeAll(async () => {
  for (const [label, devices] of [
    ['~1k', 1_000],
    ['~20k', 20_000],
  ] as const) {
    const gw = await startTestGateway();
    const cluster = generateCluster({ nodes: nodesForDevices(devices) });
    sizes.push({ label, gw, cluster });
    await loadInventory({ ...gw.service, source: 'seed' }, cluster);
  }
}, 180_000);

afterAll(async () => {
  for (const { gw } of sizes) await gw.close();
});

type TreeNode = { name: string; deviceType?: string; position?: { xname: string; nid?: number | null } | null; children?: TreeNode[] };

/** Runs `document` on each size; throws with the GraphQL error when one fails. */
async function runOnEachSize(document: string) {
  const results = [];
  for (const size of sizes) {
    const result = await size.gw.gql(document);
    if (result.errors) {
      const error = JSON.stringify(result.errors[0]);
      const hint = error.includes('query parameter limit') ? ` (Prisma P2029: ${SQLITE_LIMIT_HINT})` : '';
      throw new Error(`${size.label} devices (${size.gw.db.engine})${hint}: ${error}`);
    }
    results.push({ ...size, data: result.data, statements: result.statements });
  }
  return results;
}

describe('query budget', () => {
  it('reads the 5-level tree with the same, bounded statement count at ~1k and ~20k devices', async () => {
    const results = await runOnEachSize(TREE);
    const counts = results.map((r) => r.statements);
    console.info(`5-level tree on ${results[0]?.gw.db.engine}: statements ${results.map((r) => `${r.label}=${r.statements}`).join(', ')}`);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1], 'the statement count must not grow with the data').toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(TREE_BUDGET);

    for (const { cluster, data } of results) {
      const cabinets = data.devices.edges.map((e: { node: TreeNode }) => e.node) as TreeNode[];
      expect(data.devices.totalCount).toBe(cluster.meta.cabinets);
      expect(cabinets).toHaveLength(cluster.meta.cabinets);
      const chassis = cabinets.flatMap((c) => c.children ?? []).filter((c) => /c\d+$/.test(c.name));
      const blades = chassis.flatMap((c) => c.children ?? []);
      const nodes = blades.flatMap((b) => b.children ?? []).filter((n) => n.position?.nid != null);
      const frus = nodes.flatMap((n) => n.children ?? []);
      expect(chassis).toHaveLength(cluster.meta.chassis);
      expect(blades).toHaveLength(cluster.meta.blades);
      expect(nodes).toHaveLength(cluster.meta.nodes);
      expect(new Set(nodes.map((n) => n.position?.nid)).size).toBe(cluster.meta.nodes);
      expect(frus.filter((d) => d.deviceType === 'Memory')).toHaveLength(cluster.devices.filter((d) => d.deviceType === 'Memory').length);
      expect(frus.filter((d) => d.deviceType === 'GPU')).toHaveLength(cluster.devices.filter((d) => d.deviceType === 'GPU').length);
      expect(cabinets[0]?.position?.xname).toBe('x1000');
    }
  });

  it('reads descendants(maxDepth) under a list of cabinets with the same, bounded statement count', async () => {
    const results = await runOnEachSize(SUBTREE);
    console.info(`descendants on ${results[0]?.gw.db.engine}: statements ${results.map((r) => `${r.label}=${r.statements}`).join(', ')}`);
    const grows = `the statement count must not grow with the data${results[0]?.gw.db.engine === 'sqlite' ? ` (${SQLITE_LIMIT_HINT})` : ''}`;
    expect(results[1]?.statements, grows).toBe(results[0]?.statements);
    expect(results[0]?.statements).toBeLessThanOrEqual(SUBTREE_BUDGET);
    for (const { cluster, data } of results) {
      const below = data.devices.edges.flatMap((e: { node: { descendants: TreeNode[] } }) => e.node.descendants) as TreeNode[];
      expect(below).toHaveLength(cluster.devices.length - cluster.meta.cabinets);
      expect(below.filter((d) => d.deviceType === 'Memory')).toHaveLength(cluster.devices.filter((d) => d.deviceType === 'Memory').length);
    }
  });
});
