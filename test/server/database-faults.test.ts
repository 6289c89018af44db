// Faults a production gateway must ride out: PostgreSQL stopping under a running gateway
// (503s, no hang, no crash, recovery by itself) and a process killed in the middle of a bulk
// write (the database keeps none of it, on both engines).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, PROJECT_ROOT } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { TEST_ENGINE } from '../support/database.js';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process.js';
import { type PrivatePostgres, privatePostgresUnavailable, startPrivatePostgres } from '../support/private-postgres.js';

const unavailable = privatePostgresUnavailable();
/** The PostgreSQL pass runs these; the SQLite pass covers the killed SQLite write below. */
const runPostgres = TEST_ENGINE === 'postgresql' && !unavailable;

async function timed(url: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers; ms: number }> {
  const started = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body, headers: response.headers, ms: Date.now() - started };
}

const graphql = (base: string, query: string) =>
  timed(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

async function until<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value).slice(0, 300)} after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!runPostgres)(`PostgreSQL stopped under a running gateway${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let pg: PrivatePostgres;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    gateway = await startGatewayProcess(['--database-url', pg.url]);
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    pg?.dispose();
  });

  it('answers 503 while the database is down, and recovers by itself when it returns', async () => {
    const created = await timed(`${gateway.base}/hsm/v2/State/Components`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Components: [{ ID: 'x1000c0s0b0n0', State: 'Ready', Type: 'Node' }] }),
    });
    expect(created.status).toBeLessThan(300);

    pg.stop();

    const ready = await timed(`${gateway.base}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.ms, '/ready does not hang').toBeLessThan(6000);

    const smd = await timed(`${gateway.base}/hsm/v2/State/Components`);
    expect(smd.status).toBe(503);
    expect(smd.headers.get('content-type')).toContain('application/problem+json');
    expect(smd.headers.get('retry-after')).toBe('5');
    expect(smd.ms).toBeLessThan(10_000);

    const write = await timed(`${gateway.base}/apis/inventory/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceType: 'node', serialNumber: 'SN-DOWN' }),
    });
    expect(write.status).toBe(503);

    const query = await graphql(gateway.base, '{ devices(first: 5) { totalCount } }');
    expect(query.status).toBe(503);
    expect(query.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(query.body), 'no driver or SQL text leaks').not.toMatch(/ECONNREFUSED|127\.0\.0\.1|SELECT|prisma/i);

    expect((await timed(`${gateway.base}/health`)).status, 'the process is alive').toBe(200);
    expect(gateway.child.exitCode).toBeNull();

    pg.start();

    await until(
      'readiness after the database returned',
      () => timed(`${gateway.base}/ready`),
      (r) => r.status === 200,
    );
    const after = await timed(`${gateway.base}/hsm/v2/State/Components/x1000c0s0b0n0`);
    expect(after.status).toBe(200);
    expect(after.body.State).toBe('Ready');
    const recovered = await graphql(gateway.base, '{ devices(first: 5) { totalCount } }');
    expect(recovered.body.errors).toBeUndefined();
    await until(
      'the change feed listening again',
      async () => gateway.lines.filter((l) => String(l.msg).startsWith('change feed: listening')).length,
      (n) => n >= 2,
    );
  }, 120_000);
});

/** `npm run seed` as a child process, SIGKILLed once it reports it is writing devices. */
async function killSeedMidway(databaseUrl: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', '--nodes', '4000', '--database-url', databaseUrl], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the seed never reached the devices: ${stderr}`)), 90_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/Device: \d/.test(stderr)) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', () => reject(new Error(`the seed finished before it could be killed: ${stderr}`)));
  });
  await exited;
  return stderr;
}

describe('a process killed during a bulk write', () => {
  let folder: string;
  let pg: PrivatePostgres | undefined;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'inventory-kill-'));
    if (runPostgres) pg = await startPrivatePostgres();
  }, 60_000);
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
    pg?.dispose();
  });

  it('leaves the database without any of it, and usable', async () => {
    const url = TEST_ENGINE === 'postgresql' && pg ? pg.url : `file:${join(folder, 'killed.db')}`;
    const progress = await killSeedMidway(url);
    expect(progress).toMatch(/Device: \d/);
    const database = await openDatabase(parseDatabaseUrl(url));
    try {
      expect(await database.prisma.device.count(), 'no device of the killed transaction').toBe(0);
      expect(await database.prisma.changeEvent.count(), 'nor its change events').toBe(0);
      if (database.engine === 'sqlite') {
        const [check] = await database.prisma.$queryRawUnsafe<Array<{ integrity_check: string }>>('PRAGMA integrity_check');
        expect(check.integrity_check).toBe('ok');
        const [mode] = await database.prisma.$queryRawUnsafe<Array<{ journal_mode: string }>>('PRAGMA journal_mode');
        expect(mode.journal_mode).toBe('wal');
      }
      await database.prisma.location.create({ data: { name: 'after-the-crash', properties: {} } });
      expect(await database.prisma.location.count()).toBe(1);
    } finally {
      await database.close();
    }
  }, 120_000);
});
