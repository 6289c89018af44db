// Flag values the suites share.

/** A comma-separated list of positive whole numbers ("1000,10000"); anything else is left out. */
export function positiveIntegers(value: unknown): number[] {
  return String(value)
    .split(',')
    .map((n) => Number(n.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}
