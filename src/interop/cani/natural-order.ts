// The order the export writes a device's inline interfaces in when the file gave none: their
// names compared with numbers as numbers ("1/1/2" before "1/1/10", "eth0" before "mgmt").
const collator = new Intl.Collator('en', { numeric: true });

export const compareNames = (a: string, b: string) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** Whether the names are already in that order. */
export function inNaturalOrder(names: string[]): boolean {
  return names.every((name, i) => i === 0 || compareNames(names[i - 1], name) <= 0);
}
