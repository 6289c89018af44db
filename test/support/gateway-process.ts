// The real start command (the compiled src/server/main.ts, as `npm start` runs it) as a child process on an OS-assigned loopback
// port, with its JSON log lines collected: for tests of what only a whole process shows
// (start-up, signals, several replicas, a database going away).
import { type ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/db/client.js';

export const MAIN = ['--enable-source-maps', 'dist/server/main.js'];

export interface GatewayProcess {
  child: ChildProcess;
  base: string;
  lines: Array<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Stop parsing log lines once it listens (a load test's request logs are not wanted). */
  startupLinesOnly?: boolean;
}

/** Starts main.ts; resolves once it logs that it listens (or throws after `timeoutMs`). */
export async function startGatewayProcess(args: string[], options: StartOptions = {}): Promise<GatewayProcess> {
  const { env = {}, timeoutMs = 90_000 } = options;
  const child = spawn(process.execPath, [...MAIN, '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part));
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const listening = lines.find((l) => typeof l.port === 'number' && String(l.msg).includes('listening'));
    if (listening) {
      if (options.startupLinesOnly) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
      }
      return { child, base: `http://127.0.0.1:${listening.port}`, lines, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`gateway did not start: ${stderr.slice(-2000)} ${JSON.stringify(lines.slice(-5))}`);
}
