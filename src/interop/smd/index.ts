// The `smd` format: SMD's /hsm/v2 collections (components, Redfish, component and service
// endpoints, Ethernet interfaces, groups, partitions, hardware inventory), imported from a
// dump of their GET answers or pulled from a running SMD's URL, and exported as such a dump.
import type { ExportFormat, ImportFormat } from '../formats.js';
import { applyRecord } from './apply.js';
import { writeSmdDump } from './export.js';
import { pullRecords } from './pull.js';
import { readDump } from './records.js';
import { CollectionSequencer } from './sequence.js';

export const smdImport: ImportFormat = {
  name: 'smd',
  summary: "SMD /hsm/v2 collections: a dump (export smd) or a running SMD's URL (token in SMD_TOKEN)",
  async read(source, session) {
    const apply = async (record: Parameters<typeof applyRecord>[1]) => session.record(await applyRecord(session.tx, record));
    if (source.url) {
      for await (const record of pullRecords(source.url)) await apply(record);
      return;
    }
    const sequencer = new CollectionSequencer(apply);
    for await (const item of readDump(source.open())) {
      if (item.kind === 'collection') await sequencer.start(item.collection);
      else await sequencer.add(item);
    }
    await sequencer.end();
  },
};

export const smdExport: ExportFormat = {
  name: 'smd',
  summary: 'SMD /hsm/v2 collections, one JSON document keyed by path (what the GETs answer)',
  write: writeSmdDump,
};
