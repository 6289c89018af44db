// The query cost weighs the device tree by what the store holds (src/schema/row-cost.ts with
// the tree's profile): the descendants of every cabinet are estimated at exactly the rows
// they return, a query past --max-cost is refused before any SQL with a hint to page or
// narrow, and the hostile run's document (descendants of the cabinets of a 10,000-node site,
// megabytes of JSON) is refused by the default limit.
import { getOperationAST, parse } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterLayout, generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { schema } from '../../src/schema/index.js';
import { DEFAULT_GRAPHQL_LIMITS } from '../../src/schema/plugins/limits.js';
import { operationRows } from '../../src/schema/row-cost.js';
import { type App, createApp } from '../../src/server/app.js';
import { createMetrics } from '../../src/server/metrics.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { readTreeProfile, type TreeProfile } from '../../src/services/core/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';

const NODES = 512; // 4 full cabinets
const CABINET_SUBTREE = 1673; // 8 chassis + a switch + 64 blades + 64 BMCs + 128 nodes + 1,408 DIMMs, GPUs and NICs
const CABINET_DESCENDANTS = `{ devices(first: 500, filter: { deviceType: ["Cabinet"] }) { edges { node { name
  descendants { name deviceType serialNumber } } } } }`;
const ONE_CABINET = CABINET_DESCENDANTS.replace('first: 500', 'first: 1');

let db: TestDatabase;
const servers: RunningServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await loadInventory({ db: db.prisma, source: 'seed' }, generateCluster({ nodes: NODES }));
}, 300_000);

afterAll(async () => {
  for (const server of servers) await server.close();
  await db?.destroy();
});

async function serve(maxCost?: number): Promise<RunningServer> {
  const app: App = createApp({
    database: db,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    exposeErrors: true,
    graphqlLimits: maxCost === undefined ? {} : { maxCost },
  });
  await app.feedReady;
  const server = await serveOnLoopback(app);
  servers.push(server);
  return server;
}

async function post(server: RunningServer, query: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  return { status: response.status, statements: Number(response.headers.get('x-sql-statements')), text, body: JSON.parse(text) };
}

const cost = (query: string, profile: TreeProfile) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return operationRows({ schema, operation, fragments: {}, variables: {}, profile, defaultPageSize: 50 });
};

describe('the tree profile', () => {
  it('is read from the store: sizes, fan-out, height and the largest subtree per depth', async () => {
    const profile = await readTreeProfile(db.prisma);
    const layout = clusterLayout(NODES);
    expect(profile).toMatchObject({ devices: layout.devices, maxChildren: 11, height: 4 });
    expect(profile.devicesByType).toMatchObject({ Cabinet: 4, Node: NODES, Memory: NODES * 8 });
    // One level: the most children; deeper: a whole cabinet (its widest level, 1,408, times 2 passes its size).
    expect(profile.subtreeRows).toEqual([11, CABINET_SUBTREE, CABINET_SUBTREE, CABINET_SUBTREE]);
  });
});

describe('limits on this store', () => {
  it("estimates the cabinets' descendants at exactly the rows they return, and refuses them one row past the limit", async () => {
    const rows = 4 + 4 * CABINET_SUBTREE;
    const fits = await post(await serve(rows), CABINET_DESCENDANTS);
    expect(fits.status, fits.text.slice(0, 500)).toBe(200);
    const returned = fits.body.data.devices.edges.reduce((n: number, e: any) => n + 1 + e.node.descendants.length, 0);
    expect(returned).toBe(rows);

    const refused = await post(await serve(rows - 1), CABINET_DESCENDANTS);
    expect(refused.status).toBe(400);
    expect(refused.statements, 'refused before any SQL').toBe(0);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', actual: rows, max: rows - 1 });
    expect(refused.body.errors[0].message).toMatch(/page \(first\/after\), narrow \(a filter, descendants\(maxDepth:\)\)/);
  }, 120_000);

  it('weighs children and descendants by the store, so narrowing by maxDepth or first passes', async () => {
    const server = await serve(2_000);
    expect((await post(server, CABINET_DESCENDANTS)).status).toBe(400);
    expect((await post(server, ONE_CABINET)).status).toBe(200);
    const twoLevels = CABINET_DESCENDANTS.replace('descendants {', 'descendants(maxDepth: 1) {');
    expect((await post(server, twoLevels)).status).toBe(200); // 4 cabinets × their 9 children
  }, 120_000);
});

describe('the hostile run: descendants of the cabinets of a 10,000-node site', () => {
  it('is refused by the default limit, while one cabinet passes', async () => {
    const here = await readTreeProfile(db.prisma);
    const layout = clusterLayout(10_000);
    // Cabinets are full in both: the per-tree numbers are the same, the counts grow.
    const site: TreeProfile = {
      ...here,
      devices: layout.devices,
      devicesByType: { ...here.devicesByType, Cabinet: layout.cabinets },
    };
    const estimate = cost(CABINET_DESCENDANTS, site);
    expect(estimate).toBe(layout.cabinets * (1 + CABINET_SUBTREE));
    expect(estimate).toBeGreaterThan(DEFAULT_GRAPHQL_LIMITS.maxCost);
    expect(cost(ONE_CABINET, site)).toBeLessThan(DEFAULT_GRAPHQL_LIMITS.maxCost / 50);

    // What that answer weighs: this store's answer, per row, times the site's rows.
    const answer = await post(await serve(), CABINET_DESCENDANTS);
    const bytesPerRow = answer.text.length / (4 + 4 * CABINET_SUBTREE);
    expect(bytesPerRow * estimate).toBeGreaterThan(5 * 1024 * 1024);
  }, 120_000);
});
