// The cani import format: a Cray-HPE/cani inventory JSON document (schema v1alpha1 to
// v1alpha6) streamed record by record into locations, racks, devices (modules and FRUs are
// devices too), interfaces, IP addresses and cables, with the SMD positions, Redfish endpoints
// and group memberships their provider metadata names. See records.ts for the mapping,
// writer.ts for how records are applied, export.ts for the way back.
import type { ImportSession } from '../../services/core/index.js';
import type { ImportFormat } from '../formats.js';
import type { ImportSource } from '../source.js';
import { InventoryShape } from './inventory-shape.js';
import { mappedItems } from './mapped-items.js';
import type { MappedRecord } from './records.js';
import { BATCH, CaniWriter } from './writer.js';

async function readCani(source: ImportSource, session: ImportSession): Promise<void> {
  const writer = new CaniWriter(session);
  const shape = new InventoryShape();
  let batch: MappedRecord[] = [];
  // A key given twice (JSON allows it; cani keeps the last) must see the first one's row.
  let keys = new Set<string>();
  const add = async (record: MappedRecord) => {
    const key = `${record.section}.${record.id}`;
    if (batch.length >= BATCH || (record.id && keys.has(key))) {
      await writer.applyBatch(batch);
      batch = [];
      keys = new Set();
    }
    batch.push(record);
    keys.add(key);
  };
  for await (const item of mappedItems(source, { recordsAhead: BATCH })) {
    if (item.kind === 'end') {
      // Records of a map must be applied before its end is announced (the writer then sorts out what follows).
      await writer.applyBatch(batch);
      batch = [];
      keys = new Set();
      shape.section(item.section);
      await writer.sectionEnded(item.section);
    } else if (item.kind !== 'records') {
      shape.member(item);
    } else {
      shape.section(item.section);
      for (const record of item.records) await add(record);
    }
  }
  shape.finish();
  await writer.applyBatch(batch);
  await writer.finish();
}

export const caniImport: ImportFormat = {
  name: 'cani',
  summary:
    'Cray-HPE/cani inventory JSON, schema v1alpha1 to v1alpha6 (IPAM prefixes, VLANs, VRFs and the metadata catalog are not imported)',
  read: readCani,
};
