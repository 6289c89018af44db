// History and Collection at scale, per engine, over the real app on 127.0.0.1:
// (a) one device's history among --history-events change events spread over many subjects
//     (REST /events?subject= and GraphQL device.history);
// (b) the diff of two snapshots of a --diff-devices synthetic cluster with 1% of its devices
//     changed through the services in between (REST /snapshots/diff and GraphQL inventoryDiff);
// (c) a --scan-devices scan of nodes with their DIMMs, GPUs and NIC: first discovered (every
//     device new), then re-scanned with 1% of them replaced and 1% changed; each round times
//     POST /scans, GET /scans/{id}/diff and POST /scans/{id}/approve.

import { insertRows } from '../../src/db/bulk-insert.js';
import type { Engine } from '../../src/db/engine-schema.js';
import { createPrng } from '../../src/fixtures/prng.js';
import { FRUS_PER_NODE, generateCluster, nodesForDevices } from '../../src/fixtures/synthetic-cluster.js';
import { type DeviceRow, loadInventory } from '../../src/services/core/bulk-load.js';
import type { ServiceContext } from '../../src/services/core/context.js';
import { createDevice, deleteDevice, updateDevice } from '../../src/services/inventory/device.js';
import { type BenchDatabase, createBenchDatabase } from '../lib/database.js';
import { type BenchRequest, createLoopbackClient, type LoopbackClient, measure, type Reply, type RunLimits } from '../lib/http-client.js';
import { startServer } from '../lib/server.js';
import { bytes, ms, summarize, table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const HISTORY = '/apis/history/v1';
const COLLECTION = '/apis/collection/v1';
/** Events of the one device whose history is read; the rest belong to other subjects. */
const TARGET_EVENTS = 50;
/** Events per other subject, on average. */
const EVENTS_PER_SUBJECT = 10;
/** Events per seeding transaction (each a few multi-row INSERTs). */
const SEED_CHUNK = 100_000;
/** Rounds of discovery and of re-scan in (c): each approval is one-shot, so each round is one sample. */
const SCAN_ROUNDS = 3;

interface Row {
  engine: Engine;
  case: string;
  size: string;
  setup: string;
  n?: number;
  p50?: number;
  p95?: number;
  statements?: string;
  answer?: number;
  /** The bench process's resident memory after the case (the server runs in it). */
  rssMiB?: number;
  note?: string;
  error?: string;
}

const log = (message: string) => process.stderr.write(`[history] ${message}\n`);
const seconds = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const service = (bench: BenchDatabase, source: ServiceContext['source'] = 'system'): ServiceContext => ({
  db: bench.database.prisma,
  source,
  actor: 'bench',
});
const residentMiB = () => process.memoryUsage().rss / 2 ** 20;
const get = (path: string): BenchRequest => ({ method: 'GET', path });
const post = (path: string, body: unknown = {}): BenchRequest => ({ method: 'POST', path, body: JSON.stringify(body) });
const graphql = (query: string, variables: Record<string, unknown>): BenchRequest => post('/graphql', { query, variables });

function limitsOf(context: SuiteContext): RunLimits {
  return {
    iterations: Number(context.values.iterations ?? 20),
    warmup: Number(context.values.warmup ?? 3),
    maxSeconds: Number(context.values['case-seconds'] ?? 20),
  };
}

/** The parsed body of a 2xx reply without GraphQL errors; throws otherwise. */
function ok(reply: Reply, what: string): any {
  const body = reply.body ? JSON.parse(reply.body) : undefined;
  if (reply.status < 200 || reply.status >= 300 || body?.errors)
    throw new Error(`${what}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
  return body;
}

/** Times `request` with the run's limits into a row; `check` reads the first answer (its count, or a mismatch). */
async function timeCase(
  client: LoopbackClient,
  limits: RunLimits,
  row: Row,
  request: BenchRequest,
  check: (body: any) => { answer: number; note?: string },
): Promise<Row> {
  const first = await client.send(request);
  const { answer, note } = check(ok(first, row.case));
  const samples = await measure(() => client.send(request), first.ms > (limits.maxSeconds * 1000) / 4 ? { ...limits, warmup: 0 } : limits);
  for (const s of samples) ok(s, row.case);
  const t = summarize(samples.map((s) => s.ms));
  log(`${row.engine} ${row.case}: p50 ${ms(t.p50)} ms, ${first.statements} SQL, ${bytes(first.bytes)}`);
  const statements = [...new Set(samples.map((s) => s.statements))].join('/');
  return Object.assign(row, { n: t.n, p50: t.p50, p95: t.p95, statements, answer, rssMiB: residentMiB(), note: note ?? row.note });
}

async function withServer<T>(bench: BenchDatabase, work: (client: LoopbackClient) => Promise<T>): Promise<T> {
  const server = await startServer(bench.database);
  const client = createLoopbackClient(server.url);
  try {
    return await work(client);
  } finally {
    client.close();
    await server.close();
  }
}

// (a) ------------------------------------------------------------------------------------

/** Writes `total` events oldest first: every total/TARGET_EVENTS-th is the target's, the rest spread over total/10 subjects. */
async function seedEvents(bench: BenchDatabase, targetId: string, total: number, seed: number | string): Promise<void> {
  const prng = createPrng(seed, 7);
  const subjects = Array.from({ length: Math.max(1, Math.floor(total / EVENTS_PER_SUBJECT)) }, () => prng.uuid());
  const others = [
    { entityType: 'Device', share: 0.7 },
    { entityType: 'Component', share: 0.2 },
    { entityType: 'Interface', share: 0.1 },
  ];
  const every = Math.max(1, Math.floor(total / TARGET_EVENTS));
  const start = Date.now() - 365 * 24 * 3600 * 1000;
  const step = (365 * 24 * 3600 * 1000) / total;
  for (let from = 0; from < total; from += SEED_CHUNK) {
    const rows: Array<Record<string, unknown>> = [];
    for (let i = from; i < Math.min(total, from + SEED_CHUNK); i += 1) {
      const target = i % every === every - 1;
      const r = prng.next();
      const entityType = target
        ? 'Device'
        : r < others[0].share
          ? others[0].entityType
          : r < others[0].share + others[1].share
            ? others[1].entityType
            : others[2].entityType;
      const entityId = target ? targetId : (subjects[prng.int(subjects.length)] as string);
      const revision = i % 97;
      rows.push({
        eventId: prng.uuid(),
        occurredAt: new Date(start + i * step),
        actor: 'bench',
        source: 'system',
        requestId: null,
        entityType,
        entityId,
        action: 'updated',
        before: { id: entityId, revision, description: `change ${i - 1}` },
        after: { id: entityId, revision: revision + 1, description: `change ${i}` },
      });
    }
    await bench.database.prisma.$transaction((tx) => insertRows(tx, bench.engine, 'ChangeEvent', rows, new Date()), {
      timeout: 10 * 60_000,
    });
  }
}

const DEVICE_HISTORY = `query($id: ID!) { device(id: $id) { name history(last: 500) { seq action occurredAt actor after } } }`;

async function historyCase(context: SuiteContext, engine: Engine, rows: Row[]): Promise<void> {
  const total = Number(context.values['history-events']);
  const base: Omit<Row, 'case'> = { engine, size: `${total.toLocaleString('en')} events`, setup: '' };
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  try {
    const started = performance.now();
    const target = await createDevice(service(bench), { deviceType: 'Node', name: 'history-target', serialNumber: 'HISTORY-TARGET' });
    await seedEvents(bench, target.id, total, context.seed);
    const events = Number((await bench.raw('SELECT COUNT(*) AS n FROM "ChangeEvent"'))[0]?.n);
    base.setup = seconds(started);
    log(`${engine}: ${events.toLocaleString('en')} events seeded in ${base.setup}`);
    await withServer(bench, async (client) => {
      const limits = limitsOf(context);
      const expected = TARGET_EVENTS + 1;
      const count = (n: number) => ({
        answer: n,
        note: n === expected ? `${events.toLocaleString('en')} in the log` : `expected ${expected} events, got ${n}`,
      });
      rows.push(
        await timeCase(
          client,
          limits,
          { ...base, case: 'REST events?subject=' },
          get(`${HISTORY}/events?subject=${target.id}&limit=1000`),
          (body) => count(body.items.length),
        ),
      );
      rows.push(
        await timeCase(client, limits, { ...base, case: 'GraphQL device.history' }, graphql(DEVICE_HISTORY, { id: target.id }), (body) =>
          count(body.data.device.history.length),
        ),
      );
    });
  } catch (error) {
    rows.push({ ...base, case: 'history of one device', error: (error as Error).message });
  } finally {
    await bench.dispose();
  }
}

// (b) ------------------------------------------------------------------------------------

/** Changes 1% of the devices, one service write each: mostly updates, some leaf deletions and new GPUs. */
async function changeOnePercent(ctx: ServiceContext, devices: DeviceRow[]): Promise<number> {
  const leaves = new Set(['Memory', 'GPU', 'NIC']);
  const chosen = devices.filter((_, i) => i % 100 === 50);
  for (const [k, device] of chosen.entries()) {
    if (k % 10 === 0 && leaves.has(device.deviceType)) await deleteDevice(ctx, device.id);
    else if (k % 10 === 1)
      await createDevice(ctx, {
        deviceType: 'GPU',
        manufacturer: 'NVIDIA',
        serialNumber: `DIFF-NEW-${k}`,
        parentId: device.parentId ?? device.id,
      });
    else
      await updateDevice(ctx, device.id, {
        description: `bench change ${k}`,
        properties: { ...(device.properties as object), bench_change: k },
      });
  }
  return chosen.length;
}

const INVENTORY_DIFF = `query($from: String!, $to: String!) { inventoryDiff(from: $from, to: $to) { added removed changed { id changes { field from to } } } }`;

async function diffCase(context: SuiteContext, engine: Engine, rows: Row[]): Promise<void> {
  const wanted = Number(context.values['diff-devices']);
  const cluster = generateCluster({ nodes: nodesForDevices(wanted), seed: context.seed });
  const base: Omit<Row, 'case'> = { engine, size: `${cluster.devices.length.toLocaleString('en')} devices`, setup: '' };
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  try {
    const started = performance.now();
    await loadInventory({ ...service(bench, 'seed') }, cluster, { engine });
    await withServer(bench, async (client) => {
      const before = ok(await client.send(post(`${HISTORY}/snapshots`, { name: 'before' })), 'snapshot before');
      const changed = await changeOnePercent(service(bench), cluster.devices);
      const after = ok(await client.send(post(`${HISTORY}/snapshots`, { name: 'after' })), 'snapshot after');
      base.setup = seconds(started);
      log(`${engine}: ${cluster.devices.length} devices loaded, ${changed} changed, in ${base.setup}`);
      const limits = limitsOf(context);
      const count = (diff: { added: unknown[]; removed: unknown[]; changed: unknown[] }) => {
        const n = diff.added.length + diff.removed.length + diff.changed.length;
        return {
          answer: n,
          note: `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed${n === changed ? '' : ` (expected ${changed} in all)`}`,
        };
      };
      rows.push(
        await timeCase(
          client,
          limits,
          { ...base, case: 'REST snapshots/diff' },
          get(`${HISTORY}/snapshots/diff?from=${before.id}&to=${after.id}`),
          count,
        ),
      );
      rows.push(
        await timeCase(
          client,
          limits,
          { ...base, case: 'GraphQL inventoryDiff' },
          graphql(INVENTORY_DIFF, { from: before.id, to: after.id }),
          (body) => count(body.data.inventoryDiff),
        ),
      );
    });
  } catch (error) {
    rows.push({ ...base, case: 'snapshot diff', error: (error as Error).message });
  } finally {
    await bench.dispose();
  }
}

// (c) ------------------------------------------------------------------------------------

interface ScannedDevice {
  deviceType: string;
  manufacturer: string | null;
  partNumber: string | null;
  serialNumber: string;
  parentSerialNumber: string | null;
  properties?: Record<string, unknown>;
}

/** fru-tracker-style items for `nodes` nodes (each with its FRUs) under existing blades; serials from `prefix`. */
function discoveredHardware(cluster: ReturnType<typeof generateCluster>, nodes: number, prefix: string): ScannedDevice[] {
  const blades = cluster.devices.filter((d) => d.deviceType === 'ComputeModule');
  const firstNode = cluster.devices.find((d) => d.deviceType === 'Node')?.id;
  const frus = cluster.devices.filter((d) => d.parentId === firstNode);
  const items: ScannedDevice[] = [];
  for (let n = 0; n < nodes; n += 1) {
    const node = `${prefix}-N${n}`;
    const blade = blades[n % blades.length] as DeviceRow;
    items.push({
      deviceType: 'Node',
      manufacturer: 'HPE',
      partNumber: '102901500',
      serialNumber: node,
      parentSerialNumber: blade.serialNumber ?? null,
    });
    for (const [f, fru] of frus.entries()) {
      items.push({
        deviceType: fru.deviceType,
        manufacturer: fru.manufacturer ?? null,
        partNumber: fru.partNumber ?? null,
        serialNumber: `${node}-F${f}`,
        parentSerialNumber: node,
      });
    }
  }
  return items;
}

/** The same hardware a round later: 1% of the FRUs swapped for new serials, 1% reporting a new property. */
function rescanned(items: ScannedDevice[], round: number): ScannedDevice[] {
  return items.map((item, i) => {
    if (item.deviceType === 'Node') return item;
    if (i % 100 === 1) return { ...item, serialNumber: `${item.serialNumber}-R${round}` };
    if (i % 100 === 2) return { ...item, properties: { firmware_version: `fw-${round}` } };
    return item;
  });
}

interface ScanTimes {
  submit: Reply[];
  diff: Reply[];
  approve: Reply[];
  counts: string;
  rssMiB?: number;
}

async function scanRound(client: LoopbackClient, items: ScannedDevice[], times: ScanTimes): Promise<void> {
  const submitted = await client.send(post(`${COLLECTION}/scans`, { rawData: items }));
  const scanId = ok(submitted, 'POST /scans').result.response.scanId as string;
  const diffReply = await client.send(get(`${COLLECTION}/scans/${scanId}/diff`));
  const diff = ok(diffReply, 'GET diff');
  const approved = await client.send(post(`${COLLECTION}/scans/${scanId}/approve`));
  const response = ok(approved, 'approve').result.response;
  times.submit.push(submitted);
  times.diff.push(diffReply);
  times.approve.push(approved);
  times.rssMiB = Math.max(times.rssMiB ?? 0, residentMiB());
  times.counts = `${diff.creates.length} creates, ${diff.updates.length} updates, ${diff.moves.length} moves, ${diff.removals.length} removals → applied ${response.created}/${response.updated}/${response.moved}/${response.removed}`;
}

function scanRows(base: Omit<Row, 'case'>, label: string, times: ScanTimes): Row[] {
  const row = (step: string, replies: Reply[]): Row => {
    const t = summarize(replies.map((r) => r.ms));
    const statements = [...new Set(replies.map((r) => r.statements))].join('/');
    return {
      ...base,
      case: `${label}: ${step}`,
      n: t.n,
      p50: t.p50,
      p95: t.p95,
      statements,
      answer: replies[0]?.bytes,
      rssMiB: times.rssMiB,
      note: step === 'approve' ? times.counts : undefined,
    };
  };
  return [row('POST /scans', times.submit), row('GET diff', times.diff), row('approve', times.approve)];
}

async function scanCase(context: SuiteContext, engine: Engine, rows: Row[]): Promise<void> {
  const wanted = Number(context.values['scan-devices']);
  const nodes = Math.max(1, Math.floor(wanted / (1 + FRUS_PER_NODE)));
  const cluster = generateCluster({ nodes: Math.max(2, Math.ceil(nodes / 8)), seed: context.seed });
  const base: Omit<Row, 'case'> = { engine, size: `${(nodes * (1 + FRUS_PER_NODE)).toLocaleString('en')} devices`, setup: '' };
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  try {
    const started = performance.now();
    await loadInventory(service(bench, 'seed'), cluster, { engine });
    base.setup = seconds(started);
    await withServer(bench, async (client) => {
      const discovery: ScanTimes = { submit: [], diff: [], approve: [], counts: '' };
      const rescan: ScanTimes = { submit: [], diff: [], approve: [], counts: '' };
      for (let round = 0; round < SCAN_ROUNDS; round += 1) {
        let items = discoveredHardware(cluster, nodes, `SCAN${round}`);
        log(`${engine}: discovery round ${round + 1}, ${items.length} devices …`);
        await scanRound(client, items, discovery);
        items = rescanned(items, round);
        log(`${engine}: re-scan round ${round + 1} …`);
        await scanRound(client, items, rescan);
      }
      rows.push(...scanRows(base, 'discovery', discovery), ...scanRows(base, 're-scan', rescan));
    });
  } catch (error) {
    rows.push({ ...base, case: 'scan', error: (error as Error).message });
  } finally {
    await bench.dispose();
  }
}

// ----------------------------------------------------------------------------------------

function printRows(rows: Row[]): void {
  const header = ['engine', 'case', 'size', 'setup', 'n', 'p50 ms', 'p95 ms', 'SQL/req', 'answer', 'RSS MiB', 'note'];
  const body = rows.map((r) =>
    r.error
      ? [r.engine, r.case, r.size, r.setup, '', '', '', '', '', '', `error: ${r.error.replace(/\s+/g, ' ').slice(0, 200)}`]
      : [
          r.engine,
          r.case,
          r.size,
          r.setup,
          String(r.n ?? ''),
          ms(r.p50 ?? Number.NaN),
          ms(r.p95 ?? Number.NaN),
          r.statements ?? '',
          String(r.answer ?? ''),
          r.rssMiB === undefined ? '' : r.rssMiB.toFixed(0),
          r.note ?? '',
        ],
  );
  console.log('answer: events / diff entries returned (scans: reply bytes); SQL/req: the x-sql-statements header;');
  console.log('RSS: the bench process, server included, after the case (scans: the highest after a round)');
  console.log(table(header, body));
}

export const historySuite: BenchSuite = {
  summary: "one device's history among many events, a snapshot diff of a large cluster, approving a large scan",
  flags: {
    'history-events': { type: 'string', default: '1000000' },
    'diff-devices': { type: 'string', default: '100000' },
    'scan-devices': { type: 'string', default: '10000' },
  },
  usage: `  --history-events N  history suite: change events in the log, over many subjects (default 1000000)
  --diff-devices N    history suite: devices in the cluster whose snapshots are diffed, 1% changed (default 100000)
  --scan-devices N    history suite: devices in each scan, at most 10000 (default 10000)`,
  async run(context) {
    for (const flag of ['history-events', 'diff-devices', 'scan-devices']) {
      if (!/^\d+$/.test(String(context.values[flag])) || Number(context.values[flag]) < 1)
        throw new Error(`--${flag} must be a positive integer`);
    }
    const rows: Row[] = [];
    for (const engine of context.engines) {
      await historyCase(context, engine, rows);
      await diffCase(context, engine, rows);
      await scanCase(context, engine, rows);
    }
    printRows(rows);
  },
};
