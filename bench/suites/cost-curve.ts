// The cost curve: does a request cost what it returns, whatever the size of the store? Per
// engine and --cost-sizes device count (a synthetic cluster, its change log from the load),
// over the real app on 127.0.0.1, the same fixed-size requests: a page (GraphQL first page and
// a keyset page from the middle of the list, inventory v1 first page and cursor page), a
// lookup (by id, by xname), the tree under one blade's position, and a history page. Each row
// gives p50/p95 per size and the ratio of the largest size's p50 to the smallest's: flat is 1.
// Every size is loaded before any is timed, and the sizes take turns within each case
// (--cost-slices), so the ratio compares measurements taken side by side.
// An inventory v1 page with its total is shown too: an exact count reads every match, so it
// grows with the store by definition (the reason totals are computed only when asked).
import type { Engine } from '../../src/db/engine-schema.js';
import { generateCluster, nodesForDevices } from '../../src/fixtures/synthetic-cluster.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { type BenchDatabase, createBenchDatabase } from '../lib/database.js';
import { type BenchRequest, createLoopbackClient, type LoopbackClient, measure, type Reply } from '../lib/http-client.js';
import { type RunningServer, startServer } from '../lib/server.js';
import { ms, summarize, table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const V1 = '/apis/inventory/v1/devices';
/** The position whose tree is read: the first blade, the same few devices at every size. */
const BLADE = 'x1000c0s0';
const NODE = 'x1000c0s0b0n0';

interface Measured {
  p50: number;
  p95: number;
  n: number;
  statements: string;
}

interface CaseRow {
  case: string;
  bySize: Map<number, Measured | string>;
}

const log = (message: string) => process.stderr.write(`[cost-curve] ${message}\n`);
const get = (path: string): BenchRequest => ({ method: 'GET', path });
const graphql = (query: string): BenchRequest => ({ method: 'POST', path: '/graphql', body: JSON.stringify({ query }) });

function failure(reply: Reply): string | undefined {
  if (reply.status < 200 || reply.status > 299) return `HTTP ${reply.status}: ${reply.body.slice(0, 160)}`;
  if (reply.body.startsWith('{"errors"') || reply.body.includes('"errors":[')) return reply.body.slice(0, 160);
  return undefined;
}

async function json(client: LoopbackClient, request: BenchRequest): Promise<any> {
  const reply = await client.send(request);
  const why = failure(reply);
  if (why) throw new Error(`${request.path}: ${why}`);
  return JSON.parse(reply.body);
}

/** The fixed-size requests, some needing a key from the loaded store (a cursor, an id). */
async function casesFor(bench: BenchDatabase, client: LoopbackClient, devices: number): Promise<Array<[string, BenchRequest]>> {
  const middle = Math.floor(devices / 2);
  // The device in the middle of each list's order: its cursor starts a page from there.
  const [byName] = await bench.raw(`SELECT "id" FROM "Device" WHERE "deletedAt" IS NULL ORDER BY "name", "id" LIMIT 1 OFFSET ${middle}`);
  const graphqlCursor = Buffer.from(`GPC:S:${byName?.id}`).toString('base64');
  const v1Middle = await json(client, get(`${V1}?limit=1&offset=${middle}&count=false`));
  const [lastSeq] = await bench.raw('SELECT max("seq") AS seq FROM "ChangeEvent"');
  const seqMiddle = Math.floor(Number(lastSeq?.seq ?? 0) / 2);
  const node = await json(client, graphql(`{ component(xname: "${NODE}") { device { uuid } } }`));
  const nodeId = node.data.component.device.uuid as string;
  return [
    ['GraphQL devices(first: 50)', graphql('{ devices(first: 50) { edges { node { id name deviceType serialNumber } } } }')],
    [
      'GraphQL devices(first: 50, after: middle)',
      graphql(`{ devices(first: 50, after: "${graphqlCursor}") { edges { node { id name deviceType serialNumber } } } }`),
    ],
    ['inventory v1 ?limit=50&count=false', get(`${V1}?limit=50&count=false`)],
    ['inventory v1 ?limit=50&cursor=middle', get(`${V1}?limit=50&cursor=${v1Middle.next}`)],
    ['inventory v1 ?limit=50 (counts the total)', get(`${V1}?limit=50`)],
    ['GraphQL device(id)', graphql(`{ device(id: "${nodeId}") { id name deviceType serialNumber position { xname state } } }`)],
    ['inventory v1 /devices/{id}', get(`${V1}/${nodeId}`)],
    ['SMD State/Components/{xname}', get(`/hsm/v2/State/Components/${NODE}`)],
    [
      `GraphQL tree under ${BLADE}`,
      graphql(`{ component(xname: "${BLADE}") { xname state device { name descendants { name deviceType serialNumber } } } }`),
    ],
    ['history events ?limit=50', get('/apis/history/v1/events?limit=50')],
    ['history events ?after=middle&limit=50', get(`/apis/history/v1/events?after=${seqMiddle}&limit=50`)],
    ['history events ?subject={node}', get(`/apis/history/v1/events?subject=${nodeId}&limit=50`)],
  ];
}

/** One size's store, loaded, and the gateway serving it. */
interface LoadedSize {
  size: number;
  devices: number;
  bench: BenchDatabase;
  server: RunningServer;
  client: LoopbackClient;
  cases: Array<[string, BenchRequest]>;
}

async function closeSize(loaded: LoadedSize): Promise<void> {
  loaded.client.close();
  await loaded.server.close();
  await loaded.bench.dispose();
}

/**
 * Loads one size's synthetic cluster and starts a gateway on it. The generated cluster is not
 * kept past this function: the servers run in this process, and a held cluster (about 13 device
 * objects a node) would make every later request's garbage collection walk it.
 */
async function loadSize(context: SuiteContext, engine: Engine, size: number): Promise<LoadedSize> {
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  try {
    const started = performance.now();
    const cluster = generateCluster({ nodes: nodesForDevices(size), seed: context.seed });
    const devices = cluster.devices.length;
    const load = await loadInventory({ db: bench.database.prisma, source: 'seed', actor: 'bench' }, cluster, { engine });
    log(`${engine} ${devices} devices: loaded in ${load.seconds.toFixed(1)} s (${load.events} change events)`);
    // A store in use has been vacuumed and analyzed: right after a bulk load PostgreSQL has
    // neither statistics nor a visibility map, and its autovacuum would run during the cases.
    if (engine === 'postgresql') await bench.raw('VACUUM ANALYZE');
    const server = await startServer(bench.database);
    const client = createLoopbackClient(server.url);
    const cases = await casesFor(bench, client, devices).catch(async (error) => {
      client.close();
      await server.close();
      throw error;
    });
    log(`${engine} ${devices}: ready in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { size, devices, bench, server, client, cases };
  } catch (error) {
    await bench.dispose();
    throw error;
  }
}

/**
 * Every case at every loaded size, side by side: each case is measured in `slices` turns, each
 * turn visiting every size (the first request of a size answers whether it can be measured at
 * all), so a drift of the machine over the minutes a run takes falls on all sizes alike rather
 * than on whichever size happened to be measured later.
 */
async function measureSideBySide(context: SuiteContext, engine: Engine, loaded: LoadedSize[], rows: CaseRow[]): Promise<void> {
  const iterations = Number(context.values.iterations ?? 20);
  const warmup = Number(context.values.warmup ?? 3);
  const maxSeconds = Number(context.values['case-seconds'] ?? 20);
  const slices = Math.max(1, Number(context.values['cost-slices'] ?? 5));
  const limits = { iterations, warmup, maxSeconds: maxSeconds / slices };
  const caseNames = [...new Set(loaded.flatMap((l) => l.cases.map(([name]) => name)))];
  for (const name of caseNames) {
    let row = rows.find((r) => r.case === name);
    if (!row) rows.push((row = { case: name, bySize: new Map() }));
    const samples = new Map<LoadedSize, { request: BenchRequest; taken: Reply[] }>();
    for (const size of loaded) {
      const request = size.cases.find(([n]) => n === name)?.[1];
      if (!request) continue;
      const why = failure(await size.client.send(request));
      if (why) {
        row.bySize.set(size.size, why);
        log(`${engine} ${size.devices} ${name}: ${why}`);
      } else samples.set(size, { request, taken: [] });
    }
    for (let slice = 0; slice < slices; slice += 1) {
      for (const [size, { request, taken }] of samples) taken.push(...(await measure(() => size.client.send(request), limits)));
    }
    for (const [size, { taken }] of samples) {
      const s = summarize(taken.map((r) => r.ms));
      const statements = [...new Set(taken.map((r) => r.statements))].join('/');
      row.bySize.set(size.size, { p50: s.p50, p95: s.p95, n: s.n, statements });
      log(`${engine} ${size.devices} ${name}: p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, ${s.n} requests, ${statements} SQL`);
    }
  }
}

function print(engine: Engine, sizes: number[], rows: CaseRow[]): void {
  const header = ['case', ...sizes.flatMap((s) => [`${s.toLocaleString('en')} p50`, 'p95', 'SQL']), `p50 ${sizes.at(-1)}/${sizes[0]}`];
  const body = rows.map((row) => {
    const cells = sizes.flatMap((size) => {
      const m = row.bySize.get(size);
      if (m === undefined) return ['-', '-', '-'];
      if (typeof m === 'string') return ['error', '', ''];
      return [ms(m.p50), ms(m.p95), m.statements];
    });
    const a = row.bySize.get(sizes[0] as number);
    const b = row.bySize.get(sizes.at(-1) as number);
    const ratio = typeof a === 'object' && typeof b === 'object' ? `${(b.p50 / a.p50).toFixed(2)}x` : '-';
    return [row.case, ...cells, ratio];
  });
  console.log(`\n${engine}: sizes are requested device counts (the cluster generator rounds to whole nodes)`);
  console.log(table(header, body));
  for (const row of rows) for (const [size, m] of row.bySize) if (typeof m === 'string') console.log(`  ${row.case} at ${size}: ${m}`);
}

export const costCurveSuite: BenchSuite = {
  summary: 'page, lookup, tree and history page at each --cost-sizes: p50/p95 and the ratio largest/smallest (flat is 1)',
  flags: {
    'cost-sizes': { type: 'string', default: '1000,100000' },
    'cost-slices': { type: 'string', default: '5' },
  },
  usage: `  --cost-sizes LIST   cost-curve suite: device counts (default 1000,100000; the synthetic cluster stops at
                      65,024 nodes, about 850,000 devices, which take minutes to load on PostgreSQL)
  --cost-slices N     cost-curve suite: each case is measured in N turns over the sizes, each turn
                      --iterations requests per size after --warmup (default 5)`,
  async run(context) {
    const sizes = String(context.values['cost-sizes'])
      .split(',')
      .map((s) => Number(s.trim().replace(/_/g, '')));
    if (sizes.some((s) => !Number.isInteger(s) || s < 100)) throw new Error('--cost-sizes: device counts of at least 100');
    sizes.sort((a, b) => a - b);
    for (const engine of context.engines) {
      const rows: CaseRow[] = [];
      const loaded: LoadedSize[] = [];
      const failedSizes = new Map<number, string>();
      try {
        for (const size of sizes) {
          try {
            loaded.push(await loadSize(context, engine, size));
          } catch (error) {
            log(`${engine} ${size}: failed: ${(error as Error).message}`);
            failedSizes.set(size, (error as Error).message.slice(0, 160));
          }
        }
        await measureSideBySide(context, engine, loaded, rows);
        for (const [size, why] of failedSizes) for (const row of rows) row.bySize.set(size, why);
      } finally {
        for (const size of loaded) await closeSize(size);
      }
      print(engine, sizes, rows);
    }
  },
};
