// Records gathered into batches of one collection, each written with a few statements by the
// services' bulk writers (apply.ts), and each record's changes then filed with the session in
// the records' order. A batch ends when it is full or its collection does; collections arrive
// in dependency order (sequence.ts), so a batch is written only after everything it refers to.
import type { ImportSession } from '../../services/core/index.js';
import { applyBatch } from './apply.js';
import type { SmdRecord } from './records.js';

/** Records per batch: each batch is a few multi-row statements; memory stays bounded by one. */
export const BATCH_SIZE = 500;

export class RecordBatches {
  private batch: SmdRecord[] = [];

  constructor(
    private readonly session: ImportSession,
    private readonly size = BATCH_SIZE,
  ) {}

  async add(record: SmdRecord): Promise<void> {
    if (this.batch.length > 0 && this.batch[0].collection !== record.collection) await this.flush();
    this.batch.push(record);
    if (this.batch.length >= this.size) await this.flush();
  }

  /** Writes what is gathered (at the end of the source, or of a collection). */
  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const records = this.batch;
    this.batch = [];
    for (const changes of await applyBatch(this.session.tx, records)) await this.session.record(changes);
  }
}
