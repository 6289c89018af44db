// `inventory-gateway discover` as a child process against the test database: a Collection scan
// of registered BMCs (the Operation on stdout, progress on stderr), SMD's Discover with --smd,
// and exit status 2 for bad flags.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { attachKeys, generateKey, keyringOf, staticKeys } from '../../src/services/core/index.js';
import { type BmcSimulator, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { diffOf, registerBmcs } from './support.js';

let gw: TestGateway;
let sim: BmcSimulator;
const key = generateKey();
const children: ChildProcess[] = [];

beforeAll(async () => {
  gw = await startTestGateway();
  // The command gets the same key through SECRETS_KEYS, as a replica would.
  attachKeys(gw.db.prisma, staticKeys(keyringOf([key]), 'the test key'));
  sim = await startBmcSimulator({ count: 2, listen: '127.0.16.1', port: 0, vendors: ['dell-idrac'], stopAfterMs: 300_000 });
  await registerBmcs(gw, sim);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await sim?.close();
  await gw?.close();
});

function discover(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'discover', ...args, '--database-url', gw.db.url], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SECRETS_KEYS: key.toString('hex'), DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('inventory-gateway discover', () => {
  it('scans the named BMCs and prints the finished Operation', async () => {
    const run = await discover(['--xnames', sim.bmcs.map((b) => b.xname).join(','), '--timeout-ms', '5000']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('2/2 targets read, 0 failed');
    const operation = JSON.parse(run.stdout);
    expect(operation).toMatchObject({
      done: true,
      metadata: { state: 'DONE', targetsDone: 2 },
      result: { response: { discovered: 2, failed: 0 } },
    });
    const diff = await diffOf(gw, operation.result.response.scanId);
    expect(diff.creates.filter((c: any) => c.deviceType === 'Node')).toHaveLength(2);
  });

  it('runs SMD Discover with --smd', async () => {
    const run = await discover(['--smd', '--all', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).result.response).toMatchObject({ discovered: 2, failed: 0 });
    const status = await gw.rest('GET', '/hsm/v2/Inventory/DiscoveryStatus/0');
    expect(status.body.Status).toBe('Complete');
    const nodes = await gw.rest('GET', '/hsm/v2/State/Components?type=Node');
    expect(nodes.body.Components).toHaveLength(2);
  });

  it('refuses bad flags with exit status 2 and a refused request with 1', async () => {
    const none = await discover([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name the targets');
    const unknown = await discover(['--xnames', 'x9c0s0b0']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('targets.xnames.0');
  });
});
