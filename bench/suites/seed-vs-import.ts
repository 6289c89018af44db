// The same site seeded and imported, side by side: the synthetic cluster of --seed-nodes nodes
// is generated and bulk-loaded as `npm run seed` does (one transaction of multi-row INSERTs,
// timed in this process), exported as cani, and that file imported into an empty database by
// the real command (`inventory-gateway import cani`, a child process: its own reported time,
// its wall time, peak RSS and live heap), then imported again (nothing may change). The ratio
// import ÷ seed is what issue 17 asks to keep within 2×; several sizes show whether the
// import's memory grows with the file.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../src/db/engine-schema.js';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { type Run, runCli } from '../lib/cli-run.js';
import { type BenchDatabase, createBenchDatabase } from '../lib/database.js';
import { positiveIntegers } from '../lib/flags.js';
import { inScratchDir } from '../lib/scratch-dir.js';
import { table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const log = (message: string) => process.stderr.write(`[seed-vs-import] ${message}\n`);

interface Row {
  engine: Engine;
  nodes: number;
  rows?: number;
  seedSeconds?: number;
  fileMiB?: number;
  first?: Run;
  again?: Run;
  error?: string;
}

/**
 * The seed and the import each start on a quiet database. On PostgreSQL, the seeded schema would
 * otherwise still be at work under the import: its pages dirtied by the export's first read (hint
 * bits) and written back by the import's own backend as it needs buffers, and autovacuum's first
 * pass over a million fresh rows. Measured on a 10,000-node site: 56.7 s an import right after
 * the export, 49–50 s the same import on its own. So the seeded schema is dropped once exported,
 * and a CHECKPOINT writes out what earlier work left before each timed phase.
 */
async function checkpoint(database: BenchDatabase): Promise<void> {
  if (database.engine === 'postgresql') await database.raw('CHECKPOINT');
}

async function benchSize(context: SuiteContext, engine: Engine, nodes: number, dir: string): Promise<Row> {
  const row: Row = { engine, nodes };
  const file = join(dir, `site-${nodes}.json`);
  try {
    const seeded = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
    try {
      await checkpoint(seeded);
      log(`${engine}: seeding ${nodes} nodes …`);
      const started = performance.now();
      const cluster = generateCluster({ nodes, seed: context.seed });
      const loaded = await loadInventory({ db: seeded.database.prisma, source: 'seed', actor: 'bench' }, cluster, { engine });
      row.seedSeconds = (performance.now() - started) / 1000;
      row.rows = loaded.events;
      await runCli(['export', 'cani', '--output', file, '--quiet', '--database-url', seeded.url]);
      row.fileMiB = statSync(file).size / 1024 / 1024;
    } finally {
      await seeded.dispose();
    }
    const imported = await createBenchDatabase(engine, { pgUrl: context.pgUrl });
    try {
      await checkpoint(imported);
      log(`${engine}: importing the export (${row.fileMiB.toFixed(1)} MiB) into an empty database …`);
      row.first = await runCli(['import', 'cani', file, '--quiet', '--database-url', imported.url]);
      log(`${engine}: importing it again …`);
      row.again = await runCli(['import', 'cani', file, '--quiet', '--database-url', imported.url]);
    } finally {
      await imported.dispose();
    }
  } catch (error) {
    row.error = (error as Error).message;
  } finally {
    rmSync(file, { force: true });
  }
  return row;
}

export const seedVsImportSuite: BenchSuite = {
  summary: 'the synthetic site seeded, then its cani export imported into an empty database: import time ÷ seed time',
  flags: { 'seed-nodes': { type: 'string', default: '1000,10000' } },
  usage: '  --seed-nodes LIST    seed-vs-import suite: site sizes in nodes (default 1000,10000)',
  async run(context) {
    const sizes = positiveIntegers(context.values['seed-nodes']);
    const rows: Row[] = [];
    await inScratchDir('seed-vs-import-', async (dir) => {
      for (const engine of context.engines) for (const nodes of sizes) rows.push(await benchSize(context, engine, nodes, dir));
    });
    const header = [
      'engine',
      'nodes',
      'rows',
      'seed s',
      'file MiB',
      'import s',
      'process s',
      'RSS MiB',
      'live MiB',
      'import ÷ seed',
      'again s',
      'again changes',
    ];
    const body = rows.map((r) =>
      r.error || !r.first || !r.again || r.seedSeconds === undefined
        ? [r.engine, String(r.nodes), '', '', '', '', '', '', '', '', '', `error: ${r.error}`]
        : [
            r.engine,
            String(r.nodes),
            String(r.rows),
            r.seedSeconds.toFixed(1),
            (r.fileMiB ?? 0).toFixed(1),
            (r.first.reported ?? r.first.seconds).toFixed(1),
            r.first.seconds.toFixed(1),
            r.first.peakMiB.toFixed(0),
            Number.isNaN(r.first.heapMiB) ? '-' : r.first.heapMiB.toFixed(0),
            `${((r.first.reported ?? r.first.seconds) / r.seedSeconds).toFixed(2)}x`,
            (r.again.reported ?? r.again.seconds).toFixed(1),
            String(r.again.changes ?? '?'),
          ],
    );
    console.log(
      'seed s: generate + bulk load in this process (what `npm run seed` does); import s: as the command reports it (one transaction); process s: its child process, start to exit; RSS: its peak resident memory; live: the most heap in use after a full collection; rows: rows the seed wrote',
    );
    console.log(table(header, body));
  },
};
