// The cani import format: a Cray-HPE/cani inventory JSON document (schema v1alpha2 to
// v1alpha6) streamed record by record into locations, racks, devices (modules and FRUs are
// devices too), interfaces and cables. See records.ts for the mapping, writer.ts for how
// records are applied, export.ts for the way back.
import { ValidationError } from '../../domain/errors.js';
import type { ImportSession } from '../../services/core/index.js';
import type { ImportFormat } from '../formats.js';
import type { ImportSource } from '../source.js';
import { type DocumentItem, readDocument } from './document.js';
import { type MappedRecord, mapRecord } from './records.js';
import { SCHEMA_VERSIONS, SECTIONS } from './vocabulary.js';
import { BATCH, CaniWriter } from './writer.js';

const SECTION_NAMES = new Set<string>(SECTIONS);

/** Checks a top-level member; answers the schema version when that is what it was. */
function checkHeader(item: Exclude<DocumentItem, { kind: 'record' }>): string | undefined {
  if (item.key === 'Hardware' || item.key === 'SchemaVersion') {
    throw new ValidationError(
      'schemaVersion',
      'this is a v1alpha1 (legacy "Hardware" map) datastore: let cani migrate it, then import the result',
    );
  }
  if (SECTION_NAMES.has(item.key) && item.kind === 'header' && item.value !== null) {
    throw new ValidationError(item.key, 'must be an object of records keyed by UUID');
  }
  if (item.key !== 'schemaVersion') return undefined;
  const version = item.kind === 'header' ? item.value : undefined;
  if (typeof version !== 'string' || !(SCHEMA_VERSIONS as readonly string[]).includes(version)) {
    throw new ValidationError(
      'schemaVersion',
      `${JSON.stringify(version ?? null)} is not a version this gateway reads (${SCHEMA_VERSIONS.join(', ')})`,
    );
  }
  return version;
}

async function readCani(source: ImportSource, session: ImportSession): Promise<void> {
  const writer = new CaniWriter(session);
  let batch: MappedRecord[] = [];
  // A key given twice (JSON allows it; cani keeps the last) must see the first one's row.
  let keys = new Set<string>();
  for await (const item of readDocument(source.open())) {
    if (item.kind !== 'record') {
      checkHeader(item);
      continue;
    }
    const record = mapRecord(item.section, item.key, item.value);
    if (batch.length >= BATCH || keys.has(record.path)) {
      await writer.applyBatch(batch);
      batch = [];
      keys = new Set();
    }
    batch.push(record);
    keys.add(record.path);
  }
  await writer.applyBatch(batch);
  await writer.finish();
}

export const caniImport: ImportFormat = {
  name: 'cani',
  summary: 'Cray-HPE/cani inventory JSON, schema v1alpha2 to v1alpha6 (IPAM maps and the metadata catalog are not imported)',
  read: readCani,
};
