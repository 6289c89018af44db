// A PostgreSQL server of the test's own (initdb into a temp folder, its own port on 127.0.0.1),
// so a test can stop and restart the database under a running gateway without touching the
// shared server other tests use. Needs the server binaries (Debian's postgresql package) and,
// when run as root, the postgres user to own the data folder.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const PG_ROOT = '/usr/lib/postgresql';

function binaries(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const version = readdirSync(PG_ROOT).sort().at(-1);
  const bin = version && join(PG_ROOT, version, 'bin');
  return bin && existsSync(join(bin, 'initdb')) ? bin : undefined;
}

/** Why a private server cannot run here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (!binaries()) return `no PostgreSQL server binaries under ${PG_ROOT}`;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no postgres user to own the data folder';
    }
  }
  return undefined;
}

export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  dispose(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binaries() as string;
  const folder = mkdtempSync(join(tmpdir(), 'inventory-pg-'));
  const data = join(folder, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, tool), args, { stdio: 'pipe' });
  if (asRoot)
    chownSync(folder, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
  const port = await freePort();
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const server: PrivatePostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: () => void run('pg_ctl', ['-D', data, '-o', options, '-l', join(folder, 'log'), '-w', '-t', '30', 'start']),
    stop: () => void run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']),
    dispose: () => {
      try {
        server.stop();
      } catch {
        // already stopped
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
  server.start();
  return server;
}
