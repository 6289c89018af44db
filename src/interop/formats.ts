// The import and export formats, by name: the CLI, GraphQL and REST all look them up here.
// A format module owns its parsing, upgrade and mapping; writes go through the services'
// `…In(tx, …)` writers inside the import session, so every rule and the change log apply.
import type { Writable } from 'node:stream';
import type { Db, ImportSession } from '../services/core/index.js';
import { caniExport } from './cani/export.js';
import { caniImport } from './cani/index.js';
import { referenceExport, referenceImport } from './reference/index.js';
import { smdExport, smdImport } from './smd/index.js';
import type { ImportSource } from './source.js';

export interface ImportFormat {
  name: string;
  /** One line for --help and errors. */
  summary: string;
  /** Reads the source record by record, applies each and files its changes with session.record. */
  read(source: ImportSource, session: ImportSession): Promise<void>;
}

export interface ExportFormat {
  name: string;
  summary: string;
  /** Writes the whole live inventory to `out` in this format (streamed where it is large). */
  write(db: Db, out: Writable): Promise<void>;
  /** For formats kept as a tree of files: writes the inventory as that tree under `directory`. */
  writeDirectory?(db: Db, directory: string): Promise<void>;
}

export const IMPORT_FORMATS: Record<string, ImportFormat> = {
  cani: caniImport,
  reference: referenceImport,
  smd: smdImport,
};

export const EXPORT_FORMATS: Record<string, ExportFormat> = {
  cani: caniExport,
  reference: referenceExport,
  smd: smdExport,
};
