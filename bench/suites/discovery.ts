// Discovery at scale, per engine: --discovery-bmcs simulated BMCs (in a child process, so the
// gateway's numbers are its own) crawled by POST /apis/collection/v1/scans with their addresses
// at --discovery-concurrency, through the real app on 127.0.0.1. Reports the crawl's wall time,
// Redfish requests per second, the gateway process's peak resident memory, the approval of
// what it found, and a rescan of the unchanged hardware, which must propose nothing.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Engine } from '../../src/db/engine-schema.js';
import { attachKeys, generateKey, keyringOf, staticKeys } from '../../src/services/core/index.js';
import { configureDiscovery } from '../../src/services/discovery/index.js';
import { createBenchDatabase } from '../lib/database.js';
import { createLoopbackClient, type LoopbackClient } from '../lib/http-client.js';
import { startServer } from '../lib/server.js';
import { ms, table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const COLLECTION = '/apis/collection/v1';
const log = (message: string) => process.stderr.write(`[discovery] ${message}\n`);

/** The simulator in a child process: `count` answers its request count, `close` ends it. */
async function startSimulatorProcess(count: number, listen: string) {
  const module = new URL('../../src/simulator/redfish/index.ts', import.meta.url).href;
  const code = `
    import { createInterface } from 'node:readline';
    const { startBmcSimulator } = await import(${JSON.stringify(module)});
    const sim = await startBmcSimulator({ count: ${count}, listen: ${JSON.stringify(listen)}, port: 0, vendors: ['hpe-cray', 'dell-idrac'], stopAfterMs: 1800000 });
    console.log(JSON.stringify({ addresses: sim.bmcs.map((b) => b.address), user: sim.bmcs[0].user, password: sim.bmcs[0].password }));
    for await (const line of createInterface({ input: process.stdin })) {
      if (line === 'count') console.log(JSON.stringify({ requests: sim.requestCount() }));
      if (line === 'close') { await sim.close(); process.exit(0); }
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the simulator process ended');
    return JSON.parse(value as string);
  };
  const ready = (await next()) as { addresses: string[]; user: string; password: string };
  return {
    ...ready,
    async requests(): Promise<number> {
      child.stdin.write('count\n');
      return ((await next()) as { requests: number }).requests;
    },
    async close() {
      child.stdin.write('close\n');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function json(client: LoopbackClient, method: string, path: string, body?: unknown) {
  const reply = await client.send({ method: method as 'POST', path, body: body === undefined ? undefined : JSON.stringify(body) });
  if (reply.status >= 300) throw new Error(`${method} ${path}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
  return JSON.parse(reply.body);
}

/** Polls the operation until done; resident memory is sampled meanwhile (the gateway runs in this process). */
async function crawl(client: LoopbackClient, body: unknown) {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    let operation = await json(client, 'POST', `${COLLECTION}/scans`, body);
    while (!operation.done) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      operation = await json(client, 'GET', `${COLLECTION}/operations/${operation.name}`);
    }
    if (operation.result?.error) throw new Error(`crawl failed: ${operation.result.error.message}`);
    return { operation, seconds: (performance.now() - started) / 1000, peakMiB: peak / 2 ** 20 };
  } finally {
    clearInterval(sampler);
  }
}

async function runEngine(engine: Engine, context: SuiteContext, bmcs: number, concurrency: number): Promise<string[][]> {
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  attachKeys(bench.database.prisma, staticKeys(keyringOf([generateKey()]), 'a bench key'));
  configureDiscovery(bench.database.prisma, { concurrency, maxTargets: Math.max(4096, bmcs), timeoutMs: 20_000 });
  const sim = await startSimulatorProcess(bmcs, '127.0.20.1');
  const server = await startServer(bench.database);
  const client = createLoopbackClient(server.url);
  const rows: string[][] = [];
  try {
    await json(client, 'PUT', `${COLLECTION}/credentials/bench`, { username: sim.user, password: sim.password });
    const body = { targets: { addresses: sim.addresses, credentials: 'bench' } };
    const before = await sim.requests();
    const first = await crawl(client, body);
    const requests = (await sim.requests()) - before;
    const response = first.operation.result.response;
    const proposed = response.proposed;
    log(`${engine}: ${bmcs} BMCs in ${first.seconds.toFixed(1)} s, ${requests} requests, ${proposed.creates} devices proposed`);
    rows.push([
      engine,
      'first scan',
      `${bmcs}`,
      `${first.seconds.toFixed(1)} s`,
      `${Math.round(requests / first.seconds)}`,
      `${(bmcs / first.seconds).toFixed(0)}`,
      `${first.peakMiB.toFixed(0)}`,
      `${response.failed}`,
      `+${proposed.creates} ~${proposed.updates} >${proposed.moves} -${proposed.removals}`,
    ]);
    const approveStarted = performance.now();
    const approved = await json(client, 'POST', `${COLLECTION}/scans/${response.scanId}/approve`);
    const approveMs = performance.now() - approveStarted;
    log(`${engine}: approved ${approved.result.response.created} devices in ${ms(approveMs)} ms`);
    rows.push([
      engine,
      'approve',
      '',
      `${ms(approveMs)} ms`,
      '',
      '',
      `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)}`,
      '',
      `${approved.result.response.created} created`,
    ]);
    const before2 = await sim.requests();
    const again = await crawl(client, body);
    const requests2 = (await sim.requests()) - before2;
    const p = again.operation.result.response.proposed;
    const nothing = p.creates + p.updates + p.moves + p.removals === 0;
    log(`${engine}: rescan in ${again.seconds.toFixed(1)} s proposes ${nothing ? 'nothing' : JSON.stringify(p)}`);
    rows.push([
      engine,
      'rescan, unchanged',
      `${bmcs}`,
      `${again.seconds.toFixed(1)} s`,
      `${Math.round(requests2 / again.seconds)}`,
      `${(bmcs / again.seconds).toFixed(0)}`,
      `${again.peakMiB.toFixed(0)}`,
      `${again.operation.result.response.failed}`,
      `+${p.creates} ~${p.updates} >${p.moves} -${p.removals}${nothing ? ' (nothing)' : ' UNEXPECTED'}`,
    ]);
  } finally {
    client.close();
    await server.close();
    await sim.close();
    await bench.dispose();
  }
  return rows;
}

export const discoverySuite: BenchSuite = {
  summary: 'crawl --discovery-bmcs simulated BMCs (Collection scan of addresses), approve, rescan unchanged',
  flags: {
    'discovery-bmcs': { type: 'string', default: '1000' },
    'discovery-concurrency': { type: 'string', default: '64' },
  },
  usage: `  --discovery-bmcs N  discovery suite: simulated BMCs crawled (default 1000; HPE Cray EX and Dell iDRAC shapes)
  --discovery-concurrency N  discovery suite: BMCs read at once (default 64)`,
  async run(context) {
    const bmcs = Number(context.values['discovery-bmcs'] ?? 1000);
    const concurrency = Number(context.values['discovery-concurrency'] ?? 64);
    const rows: string[][] = [];
    for (const engine of context.engines) rows.push(...(await runEngine(engine, context, bmcs, concurrency)));
    console.log(
      `\nDiscovery: ${bmcs} simulated BMCs at concurrency ${concurrency} (simulator in a child process; RSS = the gateway process)\n`,
    );
    console.log(table(['engine', 'case', 'BMCs', 'wall', 'requests/s', 'BMCs/s', 'peak RSS MiB', 'failed', 'proposed'], rows));
  },
};
