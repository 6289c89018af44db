// The gateway benchmark: per engine and size, load the synthetic cluster, serve the real app on
// 127.0.0.1, and time the documents of bench/lib/cases.ts with a bounded sequential client
// against their floor (one hand-written SQL statement on the driver + JSON.stringify), all in
// the same run. Run `npm run bench -- --help` for the flags.
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { redactUrl } from '../src/db/database-url.js';
import { ENGINES, type Engine } from '../src/db/engine-schema.js';
import { refreshPlannerStatistics } from '../src/db/planner-statistics.js';
import { generateCluster, nodesForDevices } from '../src/fixtures/synthetic-cluster.js';
import { setGroupTemplate } from '../src/services/cloud-init/cloud-init.js';
import { loadInventory } from '../src/services/core/bulk-load.js';
import { bootStorm, type StormResult } from './lib/boot-storm.js';
import { type BenchCase, GRAPHQL_CASES } from './lib/cases.js';
import { type BenchDatabase, createBenchDatabase } from './lib/database.js';
import { createLoopbackClient, measure, type Reply } from './lib/http-client.js';
import { startServer } from './lib/server.js';
import { SMD_CASES } from './lib/smd-cases.js';
import { bytes, ms, summarize, table } from './lib/stats.js';
import { EXTRA_SUITES } from './suites/index.js';

const SUITES = { graphql: GRAPHQL_CASES, smd: SMD_CASES, nocloud: [] as BenchCase[] } as const;
type Suite = keyof typeof SUITES | keyof typeof EXTRA_SUITES;
const SUITE_NAMES = [...Object.keys(SUITES), ...Object.keys(EXTRA_SUITES)];
const CASES: BenchCase[] = [...GRAPHQL_CASES, ...SMD_CASES];

const USAGE = `usage: npm run bench -- [flags]

  --suites LIST       ${SUITE_NAMES.join(',')} (default all)
${Object.entries(EXTRA_SUITES)
  .map(([name, s]) => `                        ${name}: ${s.summary}`)
  .join('\n')}
  --sizes LIST        graphql suite: device counts to generate, comma-separated (default 1000,10000,100000)
  --smd-nodes N       smd suite: nodes in the cluster it runs on (default 10000)
  --boot-nodes N      nocloud suite: nodes that boot, each from its own 127.x.y.z address (default 10000)
  --boot-concurrency N  nocloud suite: nodes booting at the same time (default 64)
  --boot-rounds N     nocloud suite: storms per engine, the engines taking turns, the first of a round second in the next (default 3)
  --engines LIST      sqlite,postgresql (default both)
  --cases LIST        ${CASES.map((c) => c.name).join(',')} (default all)
  --iterations N      measured requests per case after warm-up (default 20)
  --warmup N          discarded requests per case (default 3)
  --case-seconds S    stop measuring a case after S seconds, keeping at least 3 samples (default 20)
  --max-load-seconds S  skip the larger sizes of an engine once loading took longer than S (default 120)
  --pg-url URL        PostgreSQL server; each size gets its own schema, dropped afterwards
                      (default postgresql://postgres@127.0.0.1:5432/test)
  --seed S            synthetic-cluster seed (default 1)
  --help              show this text

${Object.values(EXTRA_SUITES)
  .map((s) => s.usage)
  .join('\n')}

Concurrency is 1 (one keep-alive connection, requests in sequence); client, server and
database share the machine. "floor" is the same data by one hand-written SQL statement on
better-sqlite3 / pg plus JSON.stringify, in-process; "x floor" = gateway p50 / floor p50.`;

interface Options {
  suites: Suite[];
  smdNodes: number;
  bootNodes: number;
  bootConcurrency: number;
  bootRounds: number;
  sizes: number[];
  engines: Engine[];
  cases: string[];
  iterations: number;
  warmup: number;
  caseSeconds: number;
  maxLoadSeconds: number;
  pgUrl: string;
  seed: number | string;
  values: Record<string, string | boolean | undefined>;
}

function fail(message: string): never {
  console.error(`bench: ${message}\nRun "npm run bench -- --help" for the flags.`);
  process.exit(2);
}

function list(raw: string, flag: string): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) fail(`${flag} needs at least one value`);
  return items;
}

function count(raw: string, flag: string, min = 1): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min) fail(`${flag} must be an integer ≥ ${min} (got "${raw}")`);
  return Number(raw);
}

function parseOptions(argv: string[]): Options {
  let values: Record<string, string | boolean | undefined> = {};
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.assign({}, ...Object.values(EXTRA_SUITES).map((s) => s.flags)),
        suites: { type: 'string', default: SUITE_NAMES.join(',') },
        'smd-nodes': { type: 'string', default: '10000' },
        'boot-nodes': { type: 'string', default: '10000' },
        'boot-concurrency': { type: 'string', default: '64' },
        'boot-rounds': { type: 'string', default: '3' },
        sizes: { type: 'string', default: '1000,10000,100000' },
        engines: { type: 'string', default: ENGINES.join(',') },
        cases: { type: 'string', default: CASES.map((c) => c.name).join(',') },
        iterations: { type: 'string', default: '20' },
        warmup: { type: 'string', default: '3' },
        'case-seconds': { type: 'string', default: '20' },
        'max-load-seconds': { type: 'string', default: '120' },
        'pg-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/test' },
        seed: { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const engines = list(String(values.engines), '--engines').map((e) => (e === 'pg' || e === 'postgres' ? 'postgresql' : e));
  for (const e of engines) if (!(ENGINES as readonly string[]).includes(e)) fail(`unknown engine "${e}" (sqlite, postgresql)`);
  const cases = list(String(values.cases), '--cases');
  for (const c of cases) if (!CASES.some((k) => k.name === c)) fail(`unknown case "${c}"`);
  const pgUrl = String(values['pg-url']);
  if (!/^postgres(ql)?:\/\//.test(pgUrl)) fail('--pg-url must be a postgresql:// URL');
  const seed = String(values.seed);
  const suites = list(String(values.suites), '--suites');
  for (const suite of suites) if (!SUITE_NAMES.includes(suite)) fail(`unknown suite "${suite}" (${SUITE_NAMES.join(', ')})`);
  return {
    suites: suites as Suite[],
    smdNodes: count(String(values['smd-nodes']), '--smd-nodes'),
    bootNodes: count(String(values['boot-nodes']), '--boot-nodes'),
    bootConcurrency: count(String(values['boot-concurrency']), '--boot-concurrency'),
    bootRounds: count(String(values['boot-rounds']), '--boot-rounds'),
    sizes: list(String(values.sizes), '--sizes').map((s) => count(s.replace(/_/g, ''), '--sizes', 10)),
    engines: engines as Engine[],
    cases,
    iterations: count(String(values.iterations), '--iterations'),
    warmup: count(String(values.warmup), '--warmup', 0),
    caseSeconds: count(String(values['case-seconds']), '--case-seconds'),
    maxLoadSeconds: count(String(values['max-load-seconds']), '--max-load-seconds'),
    pgUrl,
    seed: /^\d+$/.test(seed) ? Number(seed) : seed,
    values,
  };
}

interface Row {
  engine: Engine;
  devices: number;
  load: string;
  caseName: string;
  gateway?: { n: number; p50: number; p95: number; statements: string; bytes: number };
  floor?: { n: number; p50: number; p95: number; same: boolean };
  error?: string;
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/** Why a reply counts as failed: a non-2xx status, or GraphQL errors; undefined when fine. */
function replyError(reply: Reply): string | undefined {
  let errors: Array<{ message: string; extensions?: { originalError?: { message?: string } } }> | undefined;
  try {
    errors = (JSON.parse(reply.body || 'null') as { errors?: typeof errors } | null)?.errors;
  } catch {
    errors = undefined;
  }
  if (reply.status >= 200 && reply.status < 300 && !errors) return undefined;
  const e = errors?.[0];
  const message = e?.extensions?.originalError?.message ?? e?.message ?? reply.body;
  return `HTTP ${reply.status}: ${message.trim().split('\n').at(-1)?.trim().slice(0, 160)}`;
}

async function benchSize(options: Options, engine: Engine, nodes: number, cases: BenchCase[], rows: Row[]): Promise<number> {
  const cluster = generateCluster({ nodes, seed: options.seed });
  const devices = cluster.devices.length;
  let bench: BenchDatabase | undefined;
  let loadSeconds = Number.NaN;
  try {
    bench = await createBenchDatabase(engine, { pgUrl: options.pgUrl });
    log(`[${engine} ${devices}] loading ${nodes} nodes …`);
    const load = await loadInventory({ db: bench.database.prisma, source: 'seed', actor: 'bench' }, cluster, { engine });
    loadSeconds = load.seconds;
    log(`[${engine} ${devices}] loaded in ${load.seconds.toFixed(1)} s (${load.events} change events)`);
    const server = await startServer(bench.database);
    const client = createLoopbackClient(server.url);
    const limits = { iterations: options.iterations, warmup: options.warmup, maxSeconds: options.caseSeconds };
    try {
      for (const benchCase of cases.filter((c) => options.cases.includes(c.name))) {
        const row: Row = { engine, devices, load: `${load.seconds.toFixed(1)} s`, caseName: benchCase.name };
        rows.push(row);
        let iteration = 0;
        const once = () => client.send(benchCase.request(iteration++));
        const first = await once();
        const failure = replyError(first);
        if (failure) {
          row.error = failure;
          log(`[${engine} ${devices}] ${benchCase.name}: ${row.error}`);
          continue;
        }
        log(
          `[${engine} ${devices}] ${benchCase.name}: ${bytes(first.bytes)} per answer, ${first.statements} SQL statements, ${ms(first.ms)} ms; measuring …`,
        );
        // A slow first request is warm-up enough: don't spend the case's time budget on more.
        const caseLimits = first.ms > (options.caseSeconds * 1000) / 4 ? { ...limits, warmup: 0 } : limits;
        const samples = await measure(once, caseLimits);
        const failed = samples.map(replyError).find(Boolean);
        if (failed) row.error = `a measured request failed: ${failed}`;
        const statements = [...new Set(samples.map((s: Reply) => s.statements))].join('/');
        const g = summarize(samples.map((s) => s.ms));
        row.gateway = { n: g.n, p50: g.p50, p95: g.p95, statements, bytes: first.bytes };
        if (benchCase.floor) {
          const floorOnce = benchCase.floor;
          const database = bench;
          let floorIteration = 0;
          const reference = await floorOnce(database, engine, floorIteration++);
          const normalize = benchCase.normalize ?? ((answer: unknown) => answer);
          const same = reference === undefined || isDeepStrictEqual(normalize(JSON.parse(reference)), normalize(JSON.parse(first.body)));
          if (!same) log(`[${engine} ${devices}] ${benchCase.name}: WARNING the floor's answer differs from the gateway's`);
          const floorSamples = await measure(async () => {
            const started = performance.now();
            await floorOnce(database, engine, floorIteration++);
            return { ms: performance.now() - started };
          }, caseLimits);
          const f = summarize(floorSamples.map((s) => s.ms));
          row.floor = { n: f.n, p50: f.p50, p95: f.p95, same };
        }
      }
    } finally {
      client.close();
      await server.close();
    }
  } catch (error) {
    rows.push({
      engine,
      devices,
      load: Number.isFinite(loadSeconds) ? `${loadSeconds.toFixed(1)} s` : 'failed',
      caseName: '-',
      error: (error as Error).message.replace(/\s+/g, ' ').slice(0, 200),
    });
    log(`[${engine} ${devices}] failed: ${(error as Error).message}`);
  } finally {
    await bench?.dispose();
  }
  return loadSeconds;
}

function printResults(options: Options, rows: Row[], seconds: number): void {
  const header = ['engine', 'devices', 'load', 'case', 'n', 'p50 ms', 'p95 ms', 'SQL/req', 'answer', 'floor p50', 'floor p95', 'x floor'];
  const notes: string[] = [];
  const body = rows.map((r) => {
    if (r.error) {
      notes.push(r.error);
      return [r.engine, r.devices.toLocaleString('en'), r.load, r.caseName, '', '', '', '', '', '', '', `error [${notes.length}]`];
    }
    const g = r.gateway;
    const f = r.floor;
    return [
      r.engine,
      r.devices.toLocaleString('en'),
      r.load,
      r.caseName,
      String(g?.n ?? ''),
      ms(g?.p50 ?? Number.NaN),
      ms(g?.p95 ?? Number.NaN),
      g?.statements ?? '',
      bytes(g?.bytes ?? Number.NaN),
      f ? ms(f.p50) : '-',
      f ? ms(f.p95) : '-',
      f && g ? `${(g.p50 / f.p50).toFixed(1)}x${f.same ? '' : ' (differs!)'}` : '-',
    ];
  });
  console.log('');
  console.log(`Inventory gateway bench — Node ${process.version}, ${new Date().toISOString()}, seed ${options.seed}`);
  console.log(
    `concurrency 1, warm-up ${options.warmup}, up to ${options.iterations} requests or ${options.caseSeconds} s per case; PostgreSQL ${redactUrl(options.pgUrl)}`,
  );
  const ran = options.suites
    .flatMap((suite) => (suite in SUITES ? SUITES[suite as keyof typeof SUITES] : []))
    .filter((k) => options.cases.includes(k.name));
  for (const c of ran) console.log(`  ${c.name}: ${c.description}`);
  console.log('');
  console.log(table(header, body));
  for (const [i, note] of notes.entries()) console.log(`[${i + 1}] ${note}`);
  console.log(`\ntotal ${seconds.toFixed(0)} s`);
}

interface StormRow {
  engine: Engine;
  round: number;
  nodes: number;
  result?: StormResult;
  error?: string;
}

/** Nodes booted once on each engine before the measured rounds. */
const STORM_WARMUP_NODES = 500;

interface StormStore {
  engine: Engine;
  bench?: BenchDatabase;
  addresses: string[];
  error?: string;
}

/** Loads a cluster for a boot storm and gives its nodes 127/8 addresses. */
async function prepareStormStore(options: Options, engine: Engine): Promise<StormStore> {
  const store: StormStore = { engine, addresses: [] };
  try {
    const bench = await createBenchDatabase(engine, { pgUrl: options.pgUrl });
    store.bench = bench;
    // The generated cluster is not kept: held by a suspended function it would stay in the heap
    // the gateway collects during the storm (on either engine), which a server never has.
    await loadInventory(
      { db: bench.database.prisma, source: 'seed', actor: 'bench' },
      generateCluster({ nodes: options.bootNodes, seed: options.seed }),
      { engine },
    );
    // Node addresses 10.100.x.y become 127.100.x.y: on loopback, so a client can bind them. The
    // planner then sees them as a bulk load of those addresses would have left it.
    await bench.exec((run) => run(`UPDATE "IpAddress" SET "address" = '127.' || substr("address", 4) WHERE "address" LIKE '10.100.%'`, []));
    await refreshPlannerStatistics(bench.database.prisma, engine);
    // A store in use has been vacuumed and its writes checkpointed: right after the load and the
    // rewrite of every node address, PostgreSQL's autovacuum and checkpointer would run during the
    // storms, on the same two cores, as the cost-curve and seed-vs-import suites found.
    if (engine === 'postgresql') {
      await bench.raw('VACUUM');
      await bench.raw('CHECKPOINT');
    }
    const ctx = { db: bench.database.prisma, source: 'system' as const, actor: 'bench' };
    await setGroupTemplate(ctx, 'compute', {
      template: '#cloud-config\nhostname: {{ hostname }}\nruncmd:\n  - echo nid {{ nid }} in {{ cluster_name }}\n',
    });
    await setGroupTemplate(ctx, 'io', {
      template: '## template: jinja\n#cloud-config\nruncmd:\n  - echo {{ ds.meta_data.local_hostname }}\n',
    });
    store.addresses = (await bench.raw(`SELECT "address" FROM "IpAddress" WHERE "address" LIKE '127.100.%' ORDER BY "address"`)).map((r) =>
      String(r.address),
    );
  } catch (error) {
    store.error = (error as Error).message;
  }
  return store;
}

/**
 * The nocloud suite: every engine's store is loaded first, then the engines boot their nodes in
 * turn, round after round, each storm on a fresh server (no cache carried over). Alternating
 * puts each engine's storms beside the other's, so a machine that slows down or speeds up during
 * the run shows in both; the ratio is reported round by round and over the whole run. The order
 * turns round every round (A B, B A, A B …): with one engine always first, a steady drift of the
 * machine's speed, and whatever a storm leaves behind for the next to pay (garbage in the heap
 * the storms share), would always favour the same engine.
 */
async function benchBootStorms(options: Options): Promise<StormRow[]> {
  const stores: StormStore[] = [];
  const rows: StormRow[] = [];
  /** One storm over `addresses` on a fresh server (no cache carried over from an earlier storm). */
  const storm = async (bench: BenchDatabase, addresses: string[]) => {
    // Nor garbage: the storms share one heap, and the last storm's would be collected during this one.
    (globalThis as { gc?: () => void }).gc?.();
    const server = await startServer(bench.database);
    try {
      return await bootStorm(server.url, addresses, options.bootConcurrency);
    } finally {
      await server.close();
    }
  };
  try {
    for (const engine of options.engines) stores.push(await prepareStormStore(options, engine));
    const ready = stores.filter((store) => store.bench && !store.error);
    for (const { engine, error } of stores.filter((store) => !ready.includes(store)))
      rows.push({ engine, round: 1, nodes: options.bootNodes, error: error ?? 'no database' });
    // A discarded storm of a few nodes on each engine first: the first storm in this process would
    // otherwise also pay for compiling the code every engine shares.
    for (const { engine, bench, addresses } of ready) {
      log(`[${engine}] warm-up: booting ${Math.min(STORM_WARMUP_NODES, addresses.length)} nodes (discarded) …`);
      await storm(bench as BenchDatabase, addresses.slice(-STORM_WARMUP_NODES));
    }
    for (let round = 1; round <= options.bootRounds; round += 1) {
      for (const { engine, bench, addresses } of round % 2 === 1 ? ready : [...ready].reverse()) {
        log(`[${engine}] round ${round}: booting ${addresses.length} nodes, ${options.bootConcurrency} at a time …`);
        const row: StormRow = { engine, round, nodes: addresses.length };
        try {
          row.result = await storm(bench as BenchDatabase, addresses);
        } catch (failure) {
          row.error = (failure as Error).message;
        }
        rows.push(row);
      }
    }
  } finally {
    for (const { bench } of stores) await bench?.dispose();
  }
  return rows;
}

/** Requests per second over `results` together: one storm's rate, or a run's. */
const stormRate = (results: StormResult[]) =>
  results.reduce((sum, r) => sum + r.requests, 0) / results.reduce((sum, r) => sum + r.seconds, 0);

function printStorms(options: Options, storms: StormRow[]): void {
  console.log(
    `\nBoot storm: each node fetches meta-data, user-data, vendor-data and its #include'd group documents from its own address; ${options.bootConcurrency} nodes at a time; engines alternate, the first of a round going second in the next, ${options.bootRounds} round(s)`,
  );
  const header = ['round', 'engine', 'nodes', 'requests', 'failed', 'seconds', 'req/s', 'p50 ms', 'p99 ms', 'SQL/boot'];
  const body = storms.map(({ engine, round, nodes, result: r, error }) =>
    r
      ? [
          String(round),
          engine,
          nodes.toLocaleString('en'),
          String(r.requests),
          String(r.failures.length),
          r.seconds.toFixed(1),
          (r.requests / r.seconds).toFixed(0),
          ms(r.latencyP50),
          ms(r.latencyP99),
          r.statementsPerBoot.toFixed(2),
        ]
      : [String(round), engine, nodes.toLocaleString('en'), '', '', '', '', '', '', `error: ${error}`],
  );
  console.log(table(header, body));
  for (const { engine, round, result } of storms)
    for (const failure of result?.failures.slice(0, 5) ?? []) console.log(`  ${engine} round ${round} failed: ${failure}`);
  // Round by round, then over the run: each engine's requests over its seconds, in the rounds both engines completed.
  const ratios: string[] = [];
  const completed = { sqlite: [] as StormResult[], postgresql: [] as StormResult[] };
  for (let round = 1; round <= options.bootRounds; round += 1) {
    const [sqlite, postgresql] = (['sqlite', 'postgresql'] as const).map(
      (e) => storms.find((s) => s.engine === e && s.round === round)?.result,
    );
    if (!sqlite || !postgresql) continue;
    ratios.push(`${(stormRate([postgresql]) / stormRate([sqlite])).toFixed(2)}x`);
    completed.sqlite.push(sqlite);
    completed.postgresql.push(postgresql);
  }
  if (!ratios.length) return;
  console.log(`PostgreSQL req/s ÷ SQLite req/s, round by round: ${ratios.join(', ')}`);
  const [sqlite, postgresql] = [stormRate(completed.sqlite), stormRate(completed.postgresql)];
  console.log(
    `Over the ${ratios.length} round(s): SQLite ${sqlite.toFixed(0)} req/s, PostgreSQL ${postgresql.toFixed(0)} req/s: ${(postgresql / sqlite).toFixed(2)}x`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const rows: Row[] = [];
  const storms: StormRow[] = [];
  for (const engine of options.engines) {
    if (options.suites.includes('graphql')) {
      let skipRest = false;
      for (const size of [...options.sizes].sort((a, b) => a - b)) {
        if (skipRest) {
          rows.push({
            engine,
            devices: size,
            load: 'skipped',
            caseName: '-',
            error: `a smaller size took longer than --max-load-seconds ${options.maxLoadSeconds} to load`,
          });
          continue;
        }
        const loadSeconds = await benchSize(options, engine, nodesForDevices(size), GRAPHQL_CASES, rows);
        if (loadSeconds > options.maxLoadSeconds) skipRest = true;
      }
    }
    if (options.suites.includes('smd')) await benchSize(options, engine, options.smdNodes, SMD_CASES, rows);
  }
  if (options.suites.includes('nocloud')) storms.push(...(await benchBootStorms(options)));
  if (rows.length) printResults(options, rows, (performance.now() - started) / 1000);
  if (storms.length) printStorms(options, storms);
  for (const [name, suite] of Object.entries(EXTRA_SUITES)) {
    if (!options.suites.includes(name as Suite)) continue;
    console.log(`\n== ${name}: ${suite.summary}`);
    await suite.run({ engines: options.engines, pgUrl: options.pgUrl, seed: options.seed, values: options.values });
  }
}

main().catch((error) => {
  console.error('bench: failed:', error);
  process.exit(1);
});
