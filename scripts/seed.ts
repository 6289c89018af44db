// Fills the configured database with the synthetic cluster.
//   npm run seed -- --nodes 1650 [--seed 7] [--database-url postgresql://…]
// Run with --help for every flag.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client.js';
import { DatabaseUrlError, DEFAULT_DATABASE_URL, parseDatabaseUrl, redactUrl } from '../src/db/database-url.js';
import { InventoryError } from '../src/domain/errors.js';
import { DEMO_NODES, seedCluster } from '../src/fixtures/seed.js';
import { devicesForNodes, MAX_NODES, nodesForDevices } from '../src/fixtures/synthetic-cluster.js';
import type { LoadProgress } from '../src/services/core/bulk-load.js';

export { type DemoOutcome, seedDemo } from '../src/fixtures/seed.js';

const USAGE = `Fill a database with a synthetic HPC cluster (deterministic for a seed).

usage: npm run seed -- [--nodes N | --devices D] [--seed S] [--database-url URL] [--allow-non-empty] [--quiet]

  --nodes N            compute nodes to generate (1..${MAX_NODES}; default ${DEMO_NODES}). Each node brings
                       8 DIMMs, 2 GPUs and a NIC; cabinets hold 8 chassis x 8 blades x 2 nodes,
                       so ~12 devices per node: 85 nodes ≈ 1,000 devices, 1,650 ≈ 20,000, 8,300 ≈ 100,000
  --devices D          instead of --nodes: the node count whose cluster has about D devices
  --seed S             seed for names, serials, MACs, states and ids (number or text; default 1).
                       The same seed and size give the same rows on every machine
  --database-url URL   the database to fill: file:./path.db (SQLite) or postgresql://… (default: the
                       DATABASE_URL environment variable, else ${DEFAULT_DATABASE_URL}).
                       Pending migrations are applied first
  --allow-non-empty    load even if the database already holds devices (refused otherwise);
                       rows that collide with existing keys (xnames, the site) abort the whole load
  --strategy S         insert (default: multi-row INSERT statements) or createMany (Prisma createMany;
                       about 8-10x slower, for comparison)
  --quiet              print only the summary
  --help               show this text

Everything is written in one transaction, with one 'created' change-log event per row
(source "seed"). Exit status: 0 loaded, 1 refused or failed, 2 bad flags.`;

class UsageError extends Error {}

export interface SeedArgs {
  nodes: number;
  seed: string | number;
  databaseUrl: string;
  allowNonEmpty: boolean;
  strategy: 'insert' | 'createMany';
  quiet: boolean;
  help: boolean;
}

function positiveInteger(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} must be a positive integer (got "${raw}")`);
  return Number(raw);
}

export function parseSeedArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SeedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        nodes: { type: 'string' },
        devices: { type: 'string' },
        seed: { type: 'string' },
        'database-url': { type: 'string' },
        'allow-non-empty': { type: 'boolean', default: false },
        strategy: { type: 'string', default: 'insert' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.nodes !== undefined && values.devices !== undefined) throw new UsageError('give --nodes or --devices, not both');
  const nodes =
    values.devices !== undefined
      ? nodesForDevices(positiveInteger(String(values.devices), '--devices'))
      : values.nodes !== undefined
        ? positiveInteger(String(values.nodes), '--nodes')
        : DEMO_NODES;
  if (nodes > MAX_NODES) throw new UsageError(`at most ${MAX_NODES} nodes (asked for ${nodes})`);
  const strategy = String(values.strategy);
  if (strategy !== 'insert' && strategy !== 'createMany')
    throw new UsageError(`--strategy must be insert or createMany (got "${strategy}")`);
  const rawSeed = values.seed === undefined ? '1' : String(values.seed);
  if (rawSeed === '') throw new UsageError('--seed must not be empty');
  return {
    nodes,
    seed: /^\d+$/.test(rawSeed) ? Number(rawSeed) : rawSeed,
    databaseUrl: String(values['database-url'] ?? (env.DATABASE_URL || DEFAULT_DATABASE_URL)),
    allowNonEmpty: Boolean(values['allow-non-empty']),
    strategy,
    quiet: Boolean(values.quiet),
    help: Boolean(values.help),
  };
}

function progressPrinter(): (p: LoadProgress) => void {
  let model = '';
  return (p) => {
    if (p.entityType !== 'ChangeEvent') {
      model = p.entityType;
      return;
    }
    if (p.done < p.total) return;
    const percent = Math.floor((p.rowsDone / p.rowsTotal) * 100);
    process.stderr.write(`  ${String(percent).padStart(3)}%  ${model}: ${p.total.toLocaleString('en')} rows and their events\n`);
  };
}

export async function main(argv: string[]): Promise<number> {
  let args: SeedArgs;
  let target: ReturnType<typeof parseDatabaseUrl>;
  try {
    args = parseSeedArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    target = parseDatabaseUrl(args.databaseUrl);
  } catch (error) {
    if (error instanceof UsageError || error instanceof DatabaseUrlError) {
      console.error(`seed: ${error.message}\nRun "npm run seed -- --help" for the flags.`);
      return 2;
    }
    throw error;
  }

  const where = target.engine === 'sqlite' ? target.url : redactUrl(args.databaseUrl);
  if (!args.quiet) {
    console.error(
      `seed: ${args.nodes} nodes (~${devicesForNodes(args.nodes).toLocaleString('en')} devices), seed ${args.seed}, into ${target.engine} ${where}`,
    );
  }
  const database = await openDatabase(target);
  try {
    if (!args.quiet && database.appliedMigrations.length) console.error(`seed: applied ${database.appliedMigrations.length} migration(s)`);
    const result = await seedCluster(database, {
      nodes: args.nodes,
      seed: args.seed,
      allowNonEmpty: args.allowNonEmpty,
      strategy: args.strategy,
      onProgress: args.quiet ? undefined : progressPrinter(),
    });
    const counts = Object.entries(result.load.counts);
    const width = Math.max(...counts.map(([k]) => k.length), 'change events'.length);
    console.log(`Seeded ${target.engine} ${where}: ${result.meta.nodes} nodes in ${result.meta.cabinets} cabinet(s), seed ${args.seed}`);
    for (const [model, count] of counts) console.log(`  ${model.padEnd(width)}  ${count.toLocaleString('en').padStart(9)}`);
    console.log(`  ${'change events'.padEnd(width)}  ${result.load.events.toLocaleString('en').padStart(9)}`);
    console.log(
      `generated in ${result.generateSeconds.toFixed(2)} s, loaded in ${result.load.seconds.toFixed(2)} s (${result.load.batches} statements, one transaction)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof InventoryError) {
      const hint = error.field === 'database' ? '; pass --allow-non-empty to add to it, or choose another --database-url' : '';
      console.error(`seed: refused: ${error.message}${hint}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error('seed: failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
