// The Chameleon reference-repository format: a directory tree (data/<grid>/sites/…, read file
// by file) or one JSON document (streamed); exported the same two ways.
import type { ExportFormat, ImportFormat } from '../formats.js';
import { writeDirectory, writeDocument } from './export.js';
import { ReferenceImporter } from './importer.js';
import { readDirectory } from './read-directory.js';
import { readDocument } from './read-document.js';

export const referenceImport: ImportFormat = {
  name: 'reference',
  summary:
    'Chameleon reference repository: its data directory (sites/<s>/clusters/<c>/nodes/<uid>.json) or one JSON document { uid, sites: [ … ] }',
  async read(source, session) {
    const importer = new ReferenceImporter(session);
    const events = source.directory !== undefined ? readDirectory(source.directory) : readDocument(source.open());
    for await (const event of events) await importer.apply(event);
  },
};

export const referenceExport: ExportFormat = {
  name: 'reference',
  summary: 'Chameleon reference repository: one JSON document, or with --output DIR/ its data directory',
  write: writeDocument,
  writeDirectory,
};
