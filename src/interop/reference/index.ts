// The Chameleon reference-repository format: a directory tree (a repository as cloned, its data/
// or data/<grid>/, read file by file; read-directory.ts) or one JSON document (streamed);
// exported the same two ways. Sites, clusters, nodes and flavors.
import type { ExportFormat, ImportFormat } from '../formats.js';
import { writeDirectory, writeDocument } from './export.js';
import { ReferenceImporter } from './importer.js';
import { readDirectory } from './read-directory.js';
import { readDocument } from './read-document.js';

export const referenceImport: ImportFormat = {
  name: 'reference',
  summary:
    'Chameleon reference repository: a clone, its data/ or data/<grid>/ directory (sites/<s>/clusters/<c>/nodes/<uid>.json, sites/<s>/flavors/<f>.json), or one JSON document { uid, sites: [ … ] }',
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
