// Reference-repository import at scale: a generated tree of --reference-nodes nodes
// (src/fixtures/reference-repository.ts) is written as the repository's directory and as one
// JSON document; the real command (`inventory-gateway import reference`) imports the
// directory into an empty database as a child process, whose wall time and peak resident
// memory are measured; then the directory again (nothing changes, every record compared);
// then the one document into another empty database (streamed). Several sizes show whether
// memory grows with the input.
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../src/db/engine-schema.js';
import { generateReferenceTree, referenceDocument, writeReferenceTree } from '../../src/fixtures/reference-repository.js';
import { runCli } from '../lib/cli-run.js';
import { createBenchDatabase } from '../lib/database.js';
import { positiveIntegers } from '../lib/flags.js';
import { inScratchDir } from '../lib/scratch-dir.js';
import { table } from '../lib/stats.js';
import type { BenchSuite, SuiteContext } from './index.js';

const log = (message: string) => process.stderr.write(`[reference-import] ${message}\n`);

interface Run {
  /** The import as the command reports it (one transaction, without process start and exit). */
  seconds: number;
  processSeconds: number;
  peakMiB: number;
  records: number;
}

async function importAsChild(source: string, databaseUrl: string): Promise<Run> {
  const run = await runCli(['import', 'reference', source, '--quiet', '--database-url', databaseUrl]);
  return { seconds: run.reported ?? Number.NaN, processSeconds: run.seconds, peakMiB: run.peakMiB, records: run.records ?? Number.NaN };
}

interface Row {
  engine: Engine;
  nodes: number;
  directoryMiB?: number;
  documentMiB?: number;
  first?: Run;
  again?: Run;
  document?: Run;
  error?: string;
}

function directorySize(path: string): number {
  let bytes = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

async function benchSize(context: SuiteContext, engine: Engine, nodes: number, dir: string, rows: Row[]): Promise<void> {
  const row: Row = { engine, nodes };
  rows.push(row);
  const tree = generateReferenceTree({ nodes, seed: context.seed });
  const data = join(dir, `data-${nodes}`);
  const document = join(dir, `reference-${nodes}.json`);
  await writeReferenceTree(tree, data);
  writeFileSync(document, JSON.stringify(referenceDocument(tree)));
  row.directoryMiB = directorySize(data) / 2 ** 20;
  row.documentMiB = statSync(document).size / 2 ** 20;
  const [first, second] = [
    await createBenchDatabase(engine, { pgUrl: context.pgUrl }),
    await createBenchDatabase(engine, { pgUrl: context.pgUrl }),
  ];
  try {
    log(`${engine}: importing ${nodes} nodes from the directory …`);
    row.first = await importAsChild(data, first.url);
    log(`${engine}: importing the directory again …`);
    row.again = await importAsChild(data, first.url);
    log(`${engine}: importing the same tree as one document into an empty database …`);
    row.document = await importAsChild(document, second.url);
  } catch (error) {
    row.error = (error as Error).message;
  } finally {
    await Promise.all([first.dispose(), second.dispose()]);
    rmSync(data, { recursive: true, force: true });
    rmSync(document, { force: true });
  }
}

const cells = (r?: Run) => (r ? [r.seconds.toFixed(1), r.processSeconds.toFixed(1), r.peakMiB.toFixed(0)] : ['', '', '']);

export const referenceImportSuite: BenchSuite = {
  summary: 'the inventory-gateway command importing reference-repository trees of several sizes (time, peak memory)',
  flags: { 'reference-nodes': { type: 'string', default: '500' } },
  usage: '  --reference-nodes LIST  reference-import suite: tree sizes in nodes (default 500; e.g. 500,2000 to see memory stay flat)',
  async run(context) {
    const sizes = positiveIntegers(context.values['reference-nodes']);
    const rows: Row[] = [];
    await inScratchDir('reference-bench-', async (dir) => {
      for (const engine of context.engines) for (const nodes of sizes) await benchSize(context, engine, nodes, dir, rows);
    });
    const header = [
      'engine',
      'nodes',
      'records',
      'dir MiB',
      'import s',
      'process s',
      'RSS MiB',
      'again s',
      'process s',
      'RSS MiB',
      'doc MiB',
      'doc s',
      'process s',
      'RSS MiB',
    ];
    const body = rows.map((r) =>
      r.error
        ? [r.engine, String(r.nodes), '', '', '', '', '', '', '', '', '', '', '', `error: ${r.error}`]
        : [
            r.engine,
            String(r.nodes),
            String(r.first?.records ?? ''),
            (r.directoryMiB ?? 0).toFixed(1),
            ...cells(r.first),
            ...cells(r.again),
            (r.documentMiB ?? 0).toFixed(1),
            ...cells(r.document),
          ],
    );
    console.log(
      'import s: as the command reports it (one transaction); process s: the child process, start to exit; RSS: its peak resident set',
    );
    console.log(table(header, body));
  },
};
