// `inventory-gateway simulate-bmcs` as a child process (the built CLI, as users run it): one JSON
// line per BMC on stdout, served on 127.0.10.x, ended by --stop-after or a signal; clear errors
// and exit status 2 for bad flags.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { basic, redfishClient } from './support.js';

const CLI = join(PROJECT_ROOT, 'bin/inventory-gateway.mjs');
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'simulate-bmcs-'));

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; ms: number }>;
}

function run(args: string[]): Run {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'simulate-bmcs', ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, ms: performance.now() - started })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function lines(r: Run, n: number, timeoutMs = 30_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && r.child.exitCode === null) {
    const got = r.stdout().split('\n').filter(Boolean);
    if (got.length >= n) return got.map((line) => JSON.parse(line));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${n} lines: stdout ${r.stdout()} stderr ${r.stderr()}`);
}

describe('inventory-gateway simulate-bmcs', () => {
  it('prints one line per BMC, serves them with its faults, and stops by itself after --stop-after', async () => {
    const certificate = join(dir, 'bmc.pem');
    const r = run([
      '--count',
      '3',
      '--listen',
      '127.0.10.91',
      '--port',
      '0',
      '--user',
      'admin',
      '--password',
      's3cret',
      '--vendors',
      'hpe-cray,dell-idrac',
      '--fault',
      'x1000c0s1b0=server-error',
      '--stop-after',
      '4s',
      '--certificate-out',
      certificate,
    ]);
    const bmcs = await lines(r, 3);
    const port = Number(bmcs[0].address.split(':')[1]);
    expect(port).toBeGreaterThan(0);
    expect(bmcs).toEqual([
      { xname: 'x1000c0s0b0', address: `127.0.10.91:${port}`, user: 'admin', password: 's3cret' },
      { xname: 'x1000c0s1b0', address: `127.0.10.92:${port}`, user: 'admin', password: 's3cret' },
      { xname: 'x1000c0s2b0', address: `127.0.10.93:${port}`, user: 'admin', password: 's3cret' },
    ]);
    expect(r.stderr()).toMatch(
      /3 BMCs on 127\.0\.10\.91…127\.0\.10\.93 port \d+ \(hpe-cray, dell-idrac\); certificate SHA-256 ([0-9A-F]{2}:){31}/,
    );
    // The certificate written out verifies the BMCs as a CA bundle.
    const sim = { certificatePem: readFileSync(certificate, 'utf8') } as any;
    const client = redfishClient(sim);
    const at = (i: number) => ({ host: `127.0.10.${91 + i}`, port, user: 'admin', password: 's3cret' }) as any;
    try {
      expect((await client.call(at(1), '/redfish/v1/Systems', { headers: { authorization: basic(at(1)) } })).status).toBe(500);
      const dell = await client.call(at(2), '/redfish/v1/Systems/Node1', { headers: { authorization: basic(at(2)) } });
      expect(dell.json().SerialNumber).toBeTruthy();
    } finally {
      client.close();
    }
    const { code, ms } = await r.exit;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(20_000);
    expect(r.stderr()).toMatch(/stopped after \d+ requests/);
  }, 40_000);

  it('stops on SIGTERM with status 0', async () => {
    const r = run(['--count', '1', '--listen', '127.0.10.95', '--port', '0']);
    const [bmc] = await lines(r, 1);
    expect(bmc.address).toMatch(/^127\.0\.10\.95:\d+$/);
    r.child.kill('SIGTERM');
    expect((await r.exit).code).toBe(0);
    expect(r.stderr()).toMatch(/SIGTERM: stopping/);
  }, 40_000);

  it('answers --help with the flags', async () => {
    const r = run(['--help']);
    expect((await r.exit).code).toBe(0);
    for (const flag of ['--count', '--listen', '--port', '--user', '--password', '--vendors', '--fault', '--stop-after']) {
      expect(r.stdout()).toContain(flag);
    }
  }, 40_000);

  it.each([
    [[], /--count N is required/],
    [['--count', 'ten'], /--count "ten" is not an integer from 1 to/],
    [['--count', '2', '--bogus'], /Unknown option '--bogus'/],
    [['--count', '2', '--vendors', 'hpe-cray,hpe-ilo'], /unknown vendor "hpe-ilo"/],
    [['--count', '2', '--fault', 'x1000c0s0b0'], /is not XNAME=KIND/],
    [['--count', '2', '--fault', 'x1000c0s0b0=slow'], /slow needs a delay in milliseconds/],
    [['--count', '2', '--fault', 'x1000c0s9b0=server-error', '--port', '0'], /no simulated BMC x1000c0s9b0/],
    [['--count', '2', '--stop-after', '5 minutes'], /--stop-after "5 minutes" is not a duration/],
    [['--count', '2', '--listen', '0.0.0.0'], /never listens on all interfaces/],
    [['--count', '2', '--port', '99999'], /--port "99999" is not an integer from 0 to 65535/],
  ])(
    'refuses %j with status 2 and a clear message',
    async (args, message) => {
      const r = run(args as string[]);
      const { code } = await r.exit;
      expect(r.stderr()).toMatch(message);
      expect(r.stderr()).toMatch(/^inventory-gateway simulate-bmcs: /);
      expect(code).toBe(2);
    },
    40_000,
  );

  it('fails with status 1 when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.10.97', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const r = run(['--count', '1', '--listen', '127.0.10.97', '--port', String(port)]);
      const { code } = await r.exit;
      expect(r.stderr()).toMatch(new RegExp(`cannot listen on 127\\.0\\.10\\.97…127\\.0\\.10\\.97 port ${port}: .*EADDRINUSE`));
      expect(code).toBe(1);
    } finally {
      holder.close();
    }
  }, 40_000);
});
