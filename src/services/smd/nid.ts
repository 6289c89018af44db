// NIDs are 64-bit: Go's int64 in SMD, BIGINT columns here on both engines, so Prisma reads them
// as bigint. They travel as JSON numbers, which JavaScript holds exactly only up to 2^53-1, so
// that is the largest NID accepted (a larger one is refused naming the field, never stored one
// off) and every read turns the column back into a number before a codec sees it.

/** The largest NID a JSON number carries exactly here (2^53-1); SMD's own limit is 2^63-1. */
export const MAX_NID = Number.MAX_SAFE_INTEGER;

/** A NID column as a number (exact: nothing above MAX_NID is ever written). */
export function nidNumber(value: bigint | number): number;
export function nidNumber(value: bigint | number | null): number | null;
export function nidNumber(value: bigint | number | null): number | null {
  return value === null ? null : Number(value);
}

type WithNumberNid<T> = T extends { nid: bigint } ? Omit<T, 'nid'> & { nid: number } : Omit<T, 'nid'> & { nid: number | null };

/** A row read from the store with its NID as a number. */
export function withNumberNid<T extends { nid: bigint | number | null }>(row: T): WithNumberNid<T> {
  return { ...row, nid: nidNumber(row.nid) } as unknown as WithNumberNid<T>;
}
