// Batches "rows related to each parent" lookups that plugin-prisma cannot plan (recursive
// trees, cables through interfaces …). Parents in one request that ask with the same
// selection share one DataLoader, so a list of N parents costs a fixed number of statements.
import DataLoader from 'dataloader';

export type BatchFetch<Row> = (parentIds: readonly string[], query: object) => Promise<Map<string, Row[]>>;

export class SelectionLoaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown[]>>();

  load<Row>(name: string, query: object, fetch: BatchFetch<Row>, parentId: string): Promise<Row[]> {
    const key = `${name}:${JSON.stringify(query)}`;
    let loader = this.loaders.get(key) as DataLoader<string, Row[]> | undefined;
    if (!loader) {
      loader = new DataLoader<string, Row[]>(async (ids) => {
        const grouped = await fetch(ids, query);
        return ids.map((id) => grouped.get(id) ?? []);
      });
      this.loaders.set(key, loader as DataLoader<string, unknown[]>);
    }
    return loader.load(parentId);
  }
}
