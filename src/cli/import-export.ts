// `inventory-gateway import|export`: moves a site's inventory in and out through the same
// services and change log as the APIs. Run with --help for the flags.
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { openDatabase } from '../db/client.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../db/database-url.js';
import { InventoryError } from '../domain/errors.js';
import { EXPORT_FORMATS, type ExportFormat, IMPORT_FORMATS } from '../interop/formats.js';
import { exportFormatNames, exportInventory, importFormatNames, importInventory } from '../interop/index.js';
import { sourceFromArgument } from '../interop/source.js';
import { ImportInProgressError, isDatabaseUnavailable, type KeyConfig } from '../services/core/index.js';
import { loadSiteRoles } from '../services/smd/index.js';
import { changeLine } from './change-lines.js';
import { exportProgress } from './export-progress.js';
import { type Flags, parseFlags, UsageError } from './flags.js';
import { attachCommandKeys, KEY_FILE_FLAG, keyConfig, keyFileUsage } from './keys.js';

const list = (formats: Record<string, { summary: string }>) =>
  Object.entries(formats)
    .map(([name, f]) => `  ${name.padEnd(12)} ${f.summary}`)
    .join('\n');

export const IMPORT_USAGE = () => `Import a site's inventory into the gateway's database.

usage: inventory-gateway import <format> <source> [--dry-run] [--database-url URL] [--secrets-key-file PATH]
                                [--actor NAME] [--quiet]

formats:
${list(IMPORT_FORMATS)}

  <source>             a file, - for standard input, or (smd) the URL of a running /hsm/v2
  --dry-run            apply nothing: print the changes the import would make, one per line
  --database-url URL   file:./path.db or postgresql://… (default: DATABASE_URL, else ${DEFAULT_DATABASE_URL})
${keyFileUsage(23)}
  --actor NAME         who the change log records as importing (default: $USER)
  --quiet              no progress on standard error

The whole source imports in one transaction: one bad record imports nothing, and the error
names the record and the field. Importing the same source again changes nothing. One import
(or dry run) runs at a time per database, whoever started it.
Exit status: 0 imported, 1 refused or failed, 2 bad arguments, 75 another import is running
or the database is busy (try again later).`;

export const EXPORT_USAGE = () => `Export the gateway's live inventory.

usage: inventory-gateway export <format> [--output FILE] [--database-url URL]

formats:
${list(EXPORT_FORMATS)}

  --output FILE        write to FILE instead of standard output; a format kept as a tree of
                       files (reference) writes its tree into FILE when it is a directory or ends in /
  --database-url URL   as for import
  --quiet              no progress on standard error (the data itself goes to the output only)`;

const parse = (argv: string[], options: Flags) => {
  const { values, positionals } = parseFlags(argv, options, { positionals: true });
  return { values: values as Record<string, string | boolean | undefined>, positionals };
};

/** Runs `run` on the database, with its keys for secrets attached when `keys` is given. */
async function withDatabase<T>(
  url: string | undefined,
  run: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
  keys?: KeyConfig,
): Promise<T> {
  const target = parseDatabaseUrl(url ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  const database = await openDatabase(target);
  try {
    if (keys) attachCommandKeys(database, target, keys);
    return await run(database);
  } finally {
    await database.close();
  }
}

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    'dry-run': { type: 'boolean' },
    'database-url': { type: 'string' },
    ...KEY_FILE_FLAG,
    actor: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${IMPORT_USAGE()}\n`);
    return 0;
  }
  const [formatName, sourceArgument, ...extra] = positionals;
  if (!formatName || !sourceArgument) throw new UsageError('import needs a format and a source');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!Object.hasOwn(IMPORT_FORMATS, formatName))
    throw new UsageError(`unknown import format "${formatName}" (${importFormatNames().join(', ')})`);
  const source = sourceFromArgument(sourceArgument);
  // A site's own Roles and SubRoles (SMD's hms_config.json), as the server reads them.
  if (process.env.HMS_CONFIG_PATH) loadSiteRoles(process.env.HMS_CONFIG_PATH);
  const dryRun = Boolean(values['dry-run']);
  const quiet = Boolean(values.quiet);
  const report = await withDatabase(
    values['database-url'] as string | undefined,
    (database) =>
      importInventory(
        { db: database.prisma, source: 'import', actor: (values.actor as string | undefined) ?? process.env.USER ?? 'cli' },
        formatName,
        source,
        {
          dryRun,
          onChange: dryRun ? (change) => process.stdout.write(`${changeLine(change)}\n`) : undefined,
          onProgress: quiet
            ? undefined
            : ({ records, changes }) => process.stderr.write(`${formatName}: ${records} records, ${changes} changes\n`),
        },
      ),
    keyConfig(values['secrets-key-file'] as string | undefined, process.env),
  );
  const summary = Object.entries(report.counts)
    .map(
      ([entity, actions]) =>
        `${entity} ${Object.entries(actions)
          .map(([a, n]) => `${n} ${a}`)
          .join(', ')}`,
    )
    .join('; ');
  process.stderr.write(
    `${report.dryRun ? 'dry run, nothing written' : 'imported'}: ${report.records} records from ${source.name} in ${report.seconds.toFixed(1)} s; ${summary || 'no changes'}\n`,
  );
  return 0;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    output: { type: 'string', short: 'o' },
    'database-url': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${EXPORT_USAGE()}\n`);
    return 0;
  }
  const [formatName, ...extra] = positionals;
  if (!formatName) throw new UsageError('export needs a format');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!Object.hasOwn(EXPORT_FORMATS, formatName))
    throw new UsageError(`unknown export format "${formatName}" (${exportFormatNames().join(', ')})`);
  const output = values.output as string | undefined;
  const format = EXPORT_FORMATS[formatName] as ExportFormat;
  if (output && format.writeDirectory && (output.endsWith('/') || (existsSync(output) && statSync(output).isDirectory()))) {
    const tree = format.writeDirectory.bind(format);
    await withDatabase(values['database-url'] as string | undefined, (database) => tree(database.prisma, output));
    return 0;
  }
  await withDatabase(values['database-url'] as string | undefined, async (database) => {
    const out = values.output ? createWriteStream(values.output as string) : process.stdout;
    const say = values.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
    const progress = exportProgress(formatName, out, say);
    await exportInventory(database.prisma, formatName, progress.stream);
    await progress.finish((values.output as string | undefined) ?? 'standard output');
    if (out !== process.stdout) {
      out.end();
      await finished(out);
    } else {
      // main exits as soon as this returns: a pipe must have taken every byte first.
      await new Promise<void>((resolve, reject) => process.stdout.write('', (error) => (error ? reject(error) : resolve())));
    }
  });
  return 0;
}

/** sysexits' EX_TEMPFAIL: nothing is wrong with the command, run it again later. */
export const EXIT_TRY_AGAIN = 75;

/**
 * Exit status and message for a failed command: usage 2; another import running, or the
 * database busy or unreachable, 75 (try again later); refused or failed 1.
 */
export function failure(error: unknown): { status: number; message: string } {
  if (error instanceof UsageError) return { status: 2, message: `${error.message}\nRun with --help for the flags.` };
  if (error instanceof ImportInProgressError) return { status: EXIT_TRY_AGAIN, message: error.message };
  if (isDatabaseUnavailable(error))
    return { status: EXIT_TRY_AGAIN, message: 'the database is busy (another writer holds it) or unreachable: try again shortly' };
  if (error instanceof InventoryError) return { status: 1, message: error.message };
  return { status: 1, message: (error as Error).message ?? String(error) };
}
