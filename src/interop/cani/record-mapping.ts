// A document item as the writer takes it: a record's value mapped (a v1alpha1 Hardware entry
// upgraded first, into one or more records), everything else as the document reader gave it.
// The same function runs on the importing thread or on the mapping thread (mapped-items.ts).
import type { DocumentItem } from './document.js';
import { upgradeLegacyRecord } from './legacy.js';
import { type MappedRecord, mapRecord } from './records.js';
import { LEGACY_SECTION, type RecordSection } from './vocabulary.js';

export type MappedItem =
  | Exclude<DocumentItem, { kind: 'record' }>
  /** One entry of a record map (`section` as written: a v1alpha1 entry may become several records). */
  | { kind: 'records'; section: RecordSection; records: MappedRecord[] };

export function mapItem(item: DocumentItem): MappedItem {
  if (item.kind !== 'record') return item;
  if (item.section !== LEGACY_SECTION)
    return { kind: 'records', section: item.section, records: [mapRecord(item.section, item.key, item.value)] };
  const records = upgradeLegacyRecord(item.key, item.value).map((upgraded) =>
    mapRecord(upgraded.section, upgraded.key, upgraded.value, { legacyKey: item.key }),
  );
  return { kind: 'records', section: item.section, records };
}
