// Imports and exports by format name: what the CLI, GraphQL and REST call.
import { PassThrough, type Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { ValidationError } from '../domain/errors.js';
import { type Db, type ImportOptions, type ImportReport, runImport, type ServiceContext } from '../services/core/index.js';
import { EXPORT_FORMATS, IMPORT_FORMATS } from './formats.js';
import type { ImportSource } from './source.js';

function lookup<T>(formats: Record<string, T>, name: string, what: string): T {
  const format = Object.hasOwn(formats, name) ? formats[name] : undefined;
  if (!format) throw new ValidationError('format', `unknown ${what} format "${name}" (known: ${Object.keys(formats).sort().join(', ')})`);
  return format;
}

export function importInventory(
  ctx: ServiceContext,
  formatName: string,
  source: ImportSource,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const format = lookup(IMPORT_FORMATS, formatName, 'import');
  return runImport(ctx, options, (session) => format.read(source, session));
}

export function exportInventory(db: Db, formatName: string, out: Writable): Promise<void> {
  return lookup(EXPORT_FORMATS, formatName, 'export').write(db, out);
}

export const importFormatNames = () => Object.keys(IMPORT_FORMATS).sort();
export const exportFormatNames = () => Object.keys(EXPORT_FORMATS).sort();

/** The whole export as one string (for GraphQL, which answers in one piece). */
export async function exportToString(db: Db, formatName: string): Promise<string> {
  const out = new PassThrough();
  const collected = text(out);
  await exportInventory(db, formatName, out);
  out.end();
  return collected;
}
