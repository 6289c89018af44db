// One import at a time per database. While an import (or a dry run) holds the database, a
// second one is refused at once, whichever face or process starts it: REST answers a 409
// problem with code IMPORT_IN_PROGRESS, GraphQL that code, the CLI exit status 75. The lock
// holds across processes (the CLI against a gateway, both ways) and dies with its holder.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { importInventory } from '../../src/interop/index.js';
import { ImportInProgressError, type ImportReport } from '../../src/services/core/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';

const DOCUMENT = readFileSync(join(PROJECT_ROOT, 'test/fixtures/cani/v1alpha6.json'), 'utf8');
/** Where the held imports stop: inside the document, so the reader waits for more. */
const CUT = Math.floor(DOCUMENT.length / 2);

let gw: TestGateway;
let server: RunningServer;
const scratch = mkdtempSync(join(tmpdir(), 'import-lock-'));
const documentFile = join(scratch, 'inventory.json');

beforeAll(async () => {
  gw = await startTestGateway();
  server = await serveOnLoopback(gw.app);
  writeFileSync(documentFile, DOCUMENT);
  // Warm: the first request of each kind compiles and connects, which must not count as waiting.
  expect((await restImport(true)).status).toBe(200);
  expect((await graphqlImport(true)).body.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await server?.close();
  await gw?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Reply {
  status: number;
  contentType: string | null;
  body: any;
  ms: number;
}

async function post(path: string, body: string): Promise<Reply> {
  const started = Date.now();
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(text), ms: Date.now() - started };
}

const restImport = (dryRun = false) => post(`/apis/import/v1/cani${dryRun ? '?dryRun=true' : ''}`, DOCUMENT);
const graphqlImport = (dryRun = false) =>
  post(
    '/graphql',
    JSON.stringify({
      query: 'mutation($d: String!, $dry: Boolean) { importInventory(format: "cani", document: $d, dryRun: $dry) { changes } }',
      variables: { d: DOCUMENT, dry: dryRun },
    }),
  );

function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)(process.execPath, ['bin/inventory-gateway.mjs', ...args, '--database-url', gw.db.url, '--quiet'], {
    cwd: PROJECT_ROOT,
    timeout: 120_000,
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? '' }),
  );
}

/** An import in this process whose document arrives only up to CUT, until `finish()`. */
async function holdImport(dryRun: boolean): Promise<{ finish(): Promise<ImportReport> }> {
  const body = new PassThrough();
  let opened!: () => void;
  const reading = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const report = importInventory(
    { ...gw.service, source: 'import' },
    'cani',
    {
      name: 'held document',
      open: () => {
        opened();
        return body;
      },
    },
    { dryRun },
  );
  report.catch(() => undefined); // awaited by finish(); a failure before then fails the test there
  body.write(DOCUMENT.slice(0, CUT));
  await Promise.race([reading, report]);
  return {
    finish: () => {
      body.end(DOCUMENT.slice(CUT));
      return report;
    },
  };
}

function expectRefusedRest(reply: Reply) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(409);
  expect(reply.contentType).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status: 409, code: 'IMPORT_IN_PROGRESS' });
  expect(reply.body.detail).toMatch(/another import is running on this database/);
  // At once: not after SQLite's busy timeout (5 s) or a transaction's maxWait (10 s).
  expect(reply.ms).toBeLessThan(5_000);
}

function expectRefusedGraphQL(reply: Reply) {
  expect(reply.body.data ?? null).toBeNull();
  expect(reply.body.errors?.[0].extensions?.code, JSON.stringify(reply.body)).toBe('IMPORT_IN_PROGRESS');
  expect(reply.body.errors?.[0].message).toMatch(/another import is running/);
  expect(reply.ms).toBeLessThan(5_000);
}

describe('an import running in another process (the CLI)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  /**
   * Starts a dry run of the CLI reading its standard input, fed up to CUT, and waits for its
   * first change line: it then holds the lock (probing with imports of our own would race it).
   * These run first, on the empty database, so that the document has changes to print.
   */
  async function startHeldCli(): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
    const args = ['bin/inventory-gateway.mjs', 'import', 'cani', '-', '--dry-run', '--database-url', gw.db.url, '--quiet'];
    const started = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
    const applying = new Promise<void>((resolve) => started.stdout?.once('data', () => resolve()));
    started.stdout?.resume();
    started.stdin?.write(DOCUMENT.slice(0, CUT));
    const outcome = await Promise.race([applying.then(() => 'applying'), exited.then((code) => `exited ${code}`)]);
    expect(outcome, `the CLI should be applying records; stderr: ${stderr}`).toBe('applying');
    return { child: started, exited };
  }

  it('refuses the gateway its imports until the CLI has finished', async () => {
    const held = await startHeldCli();
    try {
      expectRefusedRest(await restImport());
      expectRefusedGraphQL(await graphqlImport(true));
    } finally {
      held.child.stdin?.end(DOCUMENT.slice(CUT));
    }
    expect(await held.exited).toBe(0);
    expect((await restImport(true)).status).toBe(200);
  }, 180_000);

  it('frees the lock when the process holding it dies', async () => {
    const held = await startHeldCli();
    try {
      expectRefusedRest(await restImport(true));
    } finally {
      held.child.kill('SIGKILL');
    }
    await held.exited;
    const deadline = Date.now() + 30_000;
    let reply = await restImport(true);
    while (reply.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      reply = await restImport(true);
    }
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  }, 180_000);
});

describe('an import running in the gateway', () => {
  it.each([false, true])(
    'refuses every other import while it runs (held import a dry run: %s)',
    async (dryRun) => {
      const held = await holdImport(dryRun);
      let report: ImportReport;
      try {
        expectRefusedRest(await restImport());
        expectRefusedRest(await restImport(true));
        expectRefusedGraphQL(await graphqlImport());
        expectRefusedGraphQL(await graphqlImport(true));
        await expect(
          importInventory({ ...gw.service, source: 'import' }, 'cani', { name: 'x', open: () => new PassThrough() }),
        ).rejects.toBeInstanceOf(ImportInProgressError);
        // Another process: the CLI, against the same database.
        const fromCli = await cli('import', 'cani', documentFile, '--dry-run');
        expect(fromCli.code, fromCli.stderr).toBe(75);
        expect(fromCli.stderr).toMatch(/another import is running on this database/);
      } finally {
        report = await held.finish();
      }
      expect(report.dryRun).toBe(dryRun);
      expect(report.records).toBeGreaterThan(0);
      // Released: the next import runs (a dry run, so each case starts from the same data).
      const after = await restImport(true);
      expect(after.status, JSON.stringify(after.body)).toBe(200);
    },
    180_000,
  );

  it('releases the lock when the import fails', async () => {
    const bad = await post('/apis/import/v1/cani', '{"schemaVersion": "v1alpha6", "devices": {"x": 1}}');
    expect(bad.status).toBe(422);
    expect((await restImport(true)).status).toBe(200);
  }, 60_000);
});
