// The inventory-gateway command as a measured child process: wall time, the import's own
// reported duration and record count, peak resident memory, and the most heap still live after
// a full collection (what the process really holds).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PROJECT_ROOT } from '../../src/db/client.js';

/** Loaded into the child: prints its peak resident set (KiB) on stderr when it exits. */
const PEAK_RSS_PRELOAD = `data:text/javascript,${encodeURIComponent("process.on('exit', () => process.stderr.write('peak-rss-kib ' + process.resourceUsage().maxRSS + '\\n'));")}`;

/**
 * The most heap still in use after one of V8's full collections (--trace-gc lines on stdout):
 * what the process really holds, where the heap in use between collections is mostly garbage.
 */
function liveHeapMiB(trace: string): number {
  let most = Number.NaN;
  for (const match of trace.matchAll(/Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g))
    most = Math.max(Number.isNaN(most) ? 0 : most, Number(match[1]));
  return most;
}

export interface Run {
  seconds: number;
  /** The import's own duration as the command reports it (without process start and exit). */
  reported?: number;
  /** Records the import reported reading. */
  records?: number;
  /** Changes the import reported making (the sum of its per-type counts; 0 for "no changes"). */
  changes?: number;
  peakMiB: number;
  /** The most heap in use after a full collection (NaN: no full collection happened). */
  heapMiB: number;
}

export async function runCli(args: string[]): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--trace-gc', '--import', PEAK_RSS_PRELOAD, 'bin/inventory-gateway.mjs', ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The trace of a long import is large: read it line by line, keeping only the answer.
  let heapMiB = Number.NaN;
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    const most = liveHeapMiB(lines.join('\n'));
    if (!Number.isNaN(most)) heapMiB = Number.isNaN(heapMiB) ? most : Math.max(heapMiB, most);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`inventory-gateway ${args[0]} exited ${code}: ${stderr.slice(-1500)}`);
  const peak = /peak-rss-kib (\d+)/.exec(stderr);
  const reported = /: (\d+) records from .* in ([\d.]+) s;/.exec(stderr) ?? / in ([\d.]+) s;/.exec(stderr);
  const [records, duration] =
    reported?.length === 3 ? [Number(reported[1]), Number(reported[2])] : [undefined, reported ? Number(reported[1]) : undefined];
  const summary = /(?:imported|nothing written): \d+ records from .* in [\d.]+ s; (.*)/.exec(stderr)?.[1];
  const changes =
    summary === undefined ? undefined : [...summary.matchAll(/(\d+) [a-z_]+/g)].reduce((sum, match) => sum + Number(match[1]), 0);
  return { seconds, reported: duration, records, changes, peakMiB: peak ? Number(peak[1]) / 1024 : Number.NaN, heapMiB };
}

/** A run as table cells: its own time, the process's, peak RSS and live heap. */
export const runCells = (r?: Run): string[] =>
  r
    ? [
        (r.reported ?? r.seconds).toFixed(1),
        r.seconds.toFixed(1),
        r.peakMiB.toFixed(0),
        Number.isNaN(r.heapMiB) ? '-' : r.heapMiB.toFixed(0),
      ]
    : ['', '', '', ''];
