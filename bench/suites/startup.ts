// Start-up: what an operator waits for, each beside `node -e 0` measured in the same run —
// the compiled gateway from spawn to 200 on /ready (empty database: migrations included; an
// up-to-date one), `inventory-gateway --help`, and the gateway's idle resident memory after
// it has answered /ready (against the 150 MiB aim) next to an idle bare Node process, split
// into anonymous memory (heaps, WebAssembly, malloc) and mapped files (node's own binary,
// native modules). The machine's load average is printed before and after: wall times on a
// shared machine mean little without it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/db/client.js';
import type { Engine } from '../../src/db/engine-schema.js';
import { freePort } from '../../test/support/free-port.js';
import { ms, summarize, table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const READY_TIMEOUT_MS = 60_000;
const IDLE_SETTLE_MS = 2_000;
const RSS_AIM_MIB = 150;

const log = (message: string) => process.stderr.write(`[startup] ${message}\n`);

interface Resident {
  total: number;
  /** RssAnon: the JavaScript heap, WebAssembly memory and code, malloc. */
  anon: number;
  /** RssFile: mapped files — node itself, native modules. */
  file: number;
}

/** Resident memory of a process in MiB, from /proc/<pid>/status. */
function residentMiB(pid: number): Resident {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n');
  const field = (name: string) => Number(status.find((l) => l.startsWith(`${name}:`))?.replace(/\D+/g, '') ?? Number.NaN) / 1024;
  return { total: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') };
}

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Wall milliseconds of a command that runs to its end (it must exit 0). */
function timeCommand(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

/** A database URL nobody has used yet, and how to remove it. */
async function emptyDatabase(engine: Engine, pgUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-startup-'));
    return { url: `file:${join(dir, 'inventory.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `startup_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA "${schema}"`);
  return {
    url: `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`,
    drop: () => admin(`DROP SCHEMA "${schema}" CASCADE`),
  };
}

/** Spawns the compiled gateway and polls /ready every 10 ms: ms to ready and idle RSS after. */
async function timeToReady(databaseUrl: string): Promise<{ readyMs: number; idle: Resident }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['dist/server/main.js', '--database-url', databaseUrl, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'error'],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    for (;;) {
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`not ready within ${READY_TIMEOUT_MS} ms`);
      if (child.exitCode !== null) throw new Error(`the gateway exited ${child.exitCode} before it was ready`);
      const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const readyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    return { readyMs, idle: residentMiB(child.pid as number) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** An idle bare Node process's RSS, measured the same way. */
async function bareNodeMiB(): Promise<Resident> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  const rss = residentMiB(child.pid as number);
  child.kill();
  return rss;
}

async function run(context: SuiteContext): Promise<void> {
  const runs = Number(context.values['startup-runs'] ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--startup-runs must be a whole number above 0');
  log(`load average (1, 5, 15 min) before: ${loadAverage()}`);
  const rows: string[][] = [];
  const bareNode = Array.from({ length: runs }, () => timeCommand(['-e', '0']));
  const baseline = summarize(bareNode).p50;
  const row = (what: string, samples: number[]) => {
    const s = summarize(samples);
    rows.push([what, String(s.n), ms(s.min), ms(s.p50), ms(s.max), `${(s.p50 / baseline).toFixed(1)}x`]);
  };
  row('node -e 0', bareNode);
  row(
    'inventory-gateway --help',
    Array.from({ length: runs }, () => timeCommand(['bin/inventory-gateway.mjs', '--help'])),
  );

  const memory: string[][] = [];
  const mib = (n: number) => n.toFixed(0);
  const bare = await bareNodeMiB();
  memory.push(['node, idle', mib(bare.total), mib(bare.anon), mib(bare.file), '-']);
  for (const engine of context.engines) {
    const empty: number[] = [];
    const current: number[] = [];
    const idle: Resident[] = [];
    for (let i = 0; i < runs; i++) {
      const database = await emptyDatabase(engine, context.pgUrl);
      try {
        const first = await timeToReady(database.url);
        empty.push(first.readyMs);
        const second = await timeToReady(database.url);
        current.push(second.readyMs);
        idle.push(second.idle);
      } finally {
        await database.drop();
      }
      log(`${engine}: run ${i + 1}/${runs}`);
    }
    row(`${engine}: /ready, empty database`, empty);
    row(`${engine}: /ready, up to date`, current);
    const p50 = (part: keyof Resident) => summarize(idle.map((r) => r[part])).p50;
    const rss = p50('total');
    memory.push([`gateway, idle (${engine})`, mib(rss), mib(p50('anon')), mib(p50('file')), `${(rss / RSS_AIM_MIB).toFixed(2)}x`]);
  }
  log(`load average (1, 5, 15 min) after: ${loadAverage()}`);
  console.log(table(['what (wall ms)', 'n', 'min', 'p50', 'max', 'p50 / node -e 0'], rows));
  console.log();
  console.log(table(['resident memory (p50)', 'MiB', 'anon', 'file', `of ${RSS_AIM_MIB} MiB aim`], memory));
}

export const startupSuite: BenchSuite = {
  summary: 'time to /ready (empty and up-to-date database), CLI --help and idle RSS, beside node -e 0',
  flags: { 'startup-runs': { type: 'string', default: '5' } },
  usage: '  --startup-runs N    start-up suite: runs of each measurement (default 5)',
  run,
};
