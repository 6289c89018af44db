// Query parameters the way SMD reads them: names case-insensitive, every name repeatable.
export class QueryParams {
  private readonly values = new Map<string, string[]>();

  constructor(search: URLSearchParams) {
    for (const [name, value] of search) {
      const key = name.toLowerCase();
      const list = this.values.get(key) ?? [];
      list.push(value);
      this.values.set(key, list);
    }
  }

  /** Every value given for `name`, in order (empty when absent). */
  all(name: string): string[] {
    return this.values.get(name.toLowerCase()) ?? [];
  }

  /** The first value given for `name`, or undefined. */
  get(name: string): string | undefined {
    return this.all(name)[0];
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }
}
