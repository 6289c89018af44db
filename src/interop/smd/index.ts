// The `smd` format: SMD's /hsm/v2 collections (components, Redfish, component and service
// endpoints, Ethernet interfaces, groups, partitions, hardware inventory), imported from a
// dump of their GET answers or pulled from a running SMD's URL, and exported as such a dump.
import type { ImportSession } from '../../services/core/index.js';
import type { ExportFormat, ImportFormat } from '../formats.js';
import type { ImportSource } from '../source.js';
import { BATCH_SIZE, RecordBatches } from './batches.js';
import { writeSmdDump } from './export.js';
import { pullRecords } from './pull.js';
import { readDump, type SmdRecord } from './records.js';
import { CollectionSequencer } from './sequence.js';

/** Reads the source and applies its records in batches of `batchSize` records of one collection. */
export async function readSmd(source: ImportSource, session: ImportSession, batchSize = BATCH_SIZE): Promise<void> {
  const batches = new RecordBatches(session, batchSize);
  const apply = (record: SmdRecord) => batches.add(record);
  if (source.url) {
    for await (const record of pullRecords(source.url)) await apply(record);
  } else {
    const sequencer = new CollectionSequencer(apply);
    for await (const item of readDump(source.open())) {
      if (item.kind === 'collection') await sequencer.start(item.collection);
      else await sequencer.add(item);
    }
    await sequencer.end();
  }
  await batches.flush();
}

export const smdImport: ImportFormat = {
  name: 'smd',
  summary: "SMD /hsm/v2 collections: a dump (export smd) or a running SMD's URL (token in SMD_TOKEN)",
  read: (source, session) => readSmd(source, session),
};

export const smdExport: ExportFormat = {
  name: 'smd',
  summary: 'SMD /hsm/v2 collections, one JSON document keyed by path (what the GETs answer)',
  write: writeSmdDump,
};
