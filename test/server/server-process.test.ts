// The real start command as a separate process: configuration, migrations on first start,
// health/readiness/metrics, one log line per request, and a graceful stop on SIGTERM.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { type GatewayProcess, MAIN, startGatewayProcess } from '../support/gateway-process.js';

function run(args: string[]) {
  return spawnSync(process.execPath, [...MAIN, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
}

describe('command line', () => {
  it('--help prints the options and exits 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--database-url/);
  });

  it('a bad flag exits 2 with a message', () => {
    const result = run(['--port', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--port: "x" is not a whole number/);
  });
});

describe('log format', () => {
  // Nothing listens on port 1: the gateway logs that it cannot open the database and exits 1.
  const unreachable = ['--database-url', 'postgresql://inventory:s3cret@127.0.0.1:1/inventory'];

  it('writes JSON lines when its output is not a terminal', () => {
    const result = run(unreachable);
    expect(result.status).toBe(1);
    const line = JSON.parse(result.stdout.trim().split('\n').at(-1) as string);
    expect(line).toMatchObject({ level: 60, msg: 'cannot open the database' });
  });

  it('writes readable lines on a terminal, with secrets still redacted', () => {
    // util-linux's script(1) gives the command a pseudo-terminal.
    const command = [process.execPath, ...MAIN, ...unreachable].map((a) => `'${a}'`).join(' ');
    const result = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] FATAL: cannot open the database/m);
    expect(result.stdout).not.toMatch(/^\{/m);
    expect(result.stdout).not.toContain('s3cret');
  });
});

type Started = Pick<GatewayProcess, 'child' | 'base' | 'lines'>;
const startGateway = (args: string[]): Promise<Started> => startGatewayProcess(args);

async function graphql(base: string, query: string) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json() as Promise<{ data?: any; errors?: unknown[] }>;
}

describe('a running gateway', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-process-'));
  const dbFile = join(dir, 'nested', 'inventory.db');
  let child: ChildProcess;
  let base = '';
  let lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    ({ child, base, lines } = await startGateway(['--database-url', `file:${dbFile}`]));
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('created the SQLite file and its folder, and applied the migrations', () => {
    expect(existsSync(dbFile)).toBe(true);
    expect(lines.some((l) => l.msg === 'database migrated')).toBe(true);
  });

  it('answers /health, /ready and GraphQL, and counts SQL statements in /metrics', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(await ready.json()).toEqual({ status: 'ready', engine: 'sqlite' });
    expect(await graphql(base, '{ devices { totalCount } }')).toEqual({ data: { devices: { totalCount: 0 } } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^sql_statements_total [1-9]\d*$/m);
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/graphql",status="200"\} 1/);
  });

  it('logs one structured line per request with its id, duration and statements', () => {
    const request = lines.find((l) => l.msg === 'request' && l.path === '/graphql');
    expect(request).toMatchObject({ method: 'POST', status: 200 });
    expect(typeof request?.requestId).toBe('string');
    expect(typeof request?.durationMs).toBe('number');
    expect(request?.sqlStatements).toBeGreaterThan(0);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]);
    expect(code).toBe(0);
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
  });
});

describe('--demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-demo-'));
  let started: Started;

  beforeAll(async () => {
    started = await startGateway(['--demo', '--database-url', `file:${join(dir, 'demo.db')}`]);
  });

  afterAll(() => {
    if (started?.child.exitCode === null) started.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the demo cluster into the empty database before serving it', async () => {
    expect(started.lines.some((l) => l.msg === 'demo cluster loaded')).toBe(true);
    const result = await graphql(
      started.base,
      '{ cabinets: devices(filter: { deviceType: ["Cabinet"] }) { totalCount } nodes: components(filter: { type: ["Node"] }) { totalCount } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.cabinets.totalCount).toBeGreaterThan(0);
    expect(result.data.nodes.totalCount).toBe(64);
  });
});
