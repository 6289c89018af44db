// Applies a dump's collections in dependency order whatever order its keys come in. A
// collection whose prerequisites (SmdCollection.needs) are applied streams straight through;
// one that comes before them (a dump with sorted keys, say) is held in memory until they are,
// or until the end of the document when they never come. A dump in SMD_COLLECTIONS order
// (what the export writes) is therefore applied record by record in constant memory.
import { SMD_COLLECTIONS, type SmdCollection } from './collections.js';
import type { SmdRecord } from './records.js';

export class CollectionSequencer {
  private readonly applied = new Set<string>();
  private readonly held = new Map<SmdCollection, SmdRecord[]>();
  private current: { collection: SmdCollection; direct: boolean } | undefined;

  constructor(private readonly apply: (record: SmdRecord) => Promise<void>) {}

  /** A collection begins (the one before it, if any, is complete). */
  async start(collection: SmdCollection): Promise<void> {
    await this.finish();
    const direct = collection.needs.every((path) => this.applied.has(path));
    this.current = { collection, direct };
    if (!direct) this.held.set(collection, []);
  }

  async add(record: SmdRecord): Promise<void> {
    if (this.current?.direct) await this.apply(record);
    else this.held.get(record.collection)?.push(record);
  }

  /** The document is complete: what is still held is applied in SMD_COLLECTIONS order. */
  async end(): Promise<void> {
    await this.finish();
    for (const collection of SMD_COLLECTIONS) if (this.held.has(collection)) await this.release(collection);
  }

  private async finish(): Promise<void> {
    if (!this.current) return;
    if (this.current.direct) this.applied.add(this.current.collection.path);
    this.current = undefined;
    // Each release may make another held collection ready.
    for (let ready = this.nextReady(); ready; ready = this.nextReady()) await this.release(ready);
  }

  private nextReady(): SmdCollection | undefined {
    return SMD_COLLECTIONS.find((c) => this.held.has(c) && c.needs.every((path) => this.applied.has(path)));
  }

  private async release(collection: SmdCollection): Promise<void> {
    const records = this.held.get(collection) ?? [];
    this.held.delete(collection);
    for (const record of records) await this.apply(record);
    this.applied.add(collection.path);
  }
}
