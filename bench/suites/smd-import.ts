// smd import at scale, per engine: a synthetic cluster of --smd-nodes nodes is loaded into a
// source database, `inventory-gateway export smd` writes it to a dump, and the real command
// (`inventory-gateway import smd`) imports that dump into an EMPTY database as a child process
// (wall time, the import's own reported time, peak resident memory, live heap); then the same
// dump again, which must change nothing: the change events it appended are counted and printed.
// The same two imports are then run in this process on a third database, counting the SQL
// statements they send (a figure the machine's load does not move).
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../src/db/engine-schema.js';
import { onStatement } from '../../src/db/sql-counter.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { importInventory } from '../../src/interop/index.js';
import { fileSource } from '../../src/interop/source.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { type Run, runCells, runCli } from '../lib/cli-run.js';
import { type BenchDatabase, createBenchDatabase } from '../lib/database.js';
import { inScratchDir } from '../lib/scratch-dir.js';
import { table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const log = (message: string) => process.stderr.write(`[smd-import] ${message}\n`);

interface Row {
  engine: Engine;
  nodes: number;
  records?: number;
  fileMiB?: number;
  exported?: Run;
  first?: Run;
  /** Change events the first import appended. */
  firstChanges?: number;
  again?: Run;
  /** Change events the second import appended: 0 when importing again is a no-op. */
  againChanges?: number;
  /** SQL statements the first and the second import sent (in process). */
  statements?: [number, number];
  error?: string;
}

async function changeEvents(bench: BenchDatabase): Promise<number> {
  const [row] = await bench.raw('SELECT COUNT(*) AS n FROM "ChangeEvent"');
  return Number(row?.n);
}

/** The statements an import of `file` into an empty database sends, then those of importing it again. */
async function countStatements(context: SuiteContext, engine: Engine, file: string): Promise<[number, number]> {
  const bench = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
  let statements = 0;
  const stop = onStatement(() => statements++);
  try {
    const ctx = { db: bench.database.prisma, source: 'import', actor: 'bench' } as const;
    await importInventory(ctx, 'smd', fileSource(file));
    const first = statements;
    statements = 0;
    await importInventory(ctx, 'smd', fileSource(file));
    return [first, statements];
  } finally {
    stop();
    await bench.dispose();
  }
}

async function benchEngine(context: SuiteContext, engine: Engine, nodes: number, dir: string, rows: Row[]): Promise<void> {
  const row: Row = { engine, nodes };
  rows.push(row);
  const file = join(dir, `smd-${engine}-${nodes}.json`);
  let source: BenchDatabase | undefined;
  let target: BenchDatabase | undefined;
  try {
    source = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
    const cluster = generateCluster({ nodes, seed: context.seed });
    log(`${engine}: loading ${nodes} nodes …`);
    await loadInventory({ db: source.database.prisma, source: 'seed', actor: 'bench' }, cluster, { engine });
    log(`${engine}: exporting …`);
    row.exported = await runCli(['export', 'smd', '--output', file, '--quiet', '--database-url', source.url]);
    row.fileMiB = statSync(file).size / 1024 / 1024;
    await source.dispose();
    source = undefined;

    target = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
    const database = ['--database-url', target.url];
    log(`${engine}: importing ${row.fileMiB.toFixed(1)} MiB into an empty database …`);
    row.first = await runCli(['import', 'smd', file, '--quiet', ...database]);
    row.records = row.first.records;
    row.firstChanges = await changeEvents(target);
    log(
      `${engine}: ${row.records} records, ${row.firstChanges} changes in ${row.first.reported ?? row.first.seconds} s; importing again …`,
    );
    row.again = await runCli(['import', 'smd', file, '--quiet', ...database]);
    row.againChanges = (await changeEvents(target)) - row.firstChanges;
    log(`${engine}: again: ${row.againChanges} changes in ${row.again.reported ?? row.again.seconds} s; counting statements …`);
    row.statements = await countStatements(context, engine, file);
  } catch (error) {
    row.error = (error as Error).message.slice(0, 300);
  } finally {
    await source?.dispose();
    await target?.dispose();
    rmSync(file, { force: true });
  }
}

export const smdImportSuite: BenchSuite = {
  summary: 'inventory-gateway import smd of an exported synthetic cluster (--smd-nodes) into an empty database, then again',
  flags: {},
  usage: `smd-import suite:
  --smd-nodes N           nodes in the synthetic cluster exported and imported (shared with the smd suite)`,
  async run(context) {
    const nodes = Number(context.values['smd-nodes']);
    const rows: Row[] = [];
    await inScratchDir('smd-import-bench-', async (dir) => {
      for (const engine of context.engines) await benchEngine(context, engine, nodes, dir, rows);
    });
    const header = [
      'engine',
      'nodes',
      'records',
      'dump MiB',
      'export s',
      'import s',
      'process s',
      'RSS MiB',
      'heap MiB',
      'changes',
      'again s',
      'process s',
      'RSS MiB',
      'heap MiB',
      'changes again',
      'statements',
      'again',
    ];
    const body = rows.map((r) =>
      r.error
        ? [r.engine, String(r.nodes), String(r.records ?? ''), '', '', '', '', '', '', '', '', '', '', '', '', '', `error: ${r.error}`]
        : [
            r.engine,
            String(r.nodes),
            String(r.records ?? ''),
            (r.fileMiB ?? 0).toFixed(1),
            (r.exported?.seconds ?? 0).toFixed(1),
            ...runCells(r.first),
            String(r.firstChanges ?? ''),
            ...runCells(r.again),
            String(r.againChanges ?? ''),
            String(r.statements?.[0] ?? ''),
            String(r.statements?.[1] ?? ''),
          ],
    );
    console.log(
      'import s: as the command reports it (one transaction); process s: the child process, start to exit; RSS: its peak resident set; heap: the most V8 heap still in use after a full collection; changes: change events the import appended (again: 0 expected); statements: SQL statements of the same imports run in process',
    );
    console.log(table(header, body));
  },
};
