// Optimistic concurrency over HTTP: a device's ETag is its revision ("7", strong), and If-Match
// (RFC 9110 §13.1.1, strong comparison) must name the current one for a PATCH or DELETE.
import { InventoryV1Error } from './errors.js';

export const etagOf = (revision: number) => `"${revision}"`;

/** Whether the request may change a device now at `revision`: no If-Match, `*`, or a listed tag. */
export function ifMatchHolds(request: Request, revision: number): boolean {
  const header = request.headers.get('if-match');
  if (header === null || header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim() === etagOf(revision));
}

/** 412 unless If-Match holds for the device's current revision. */
export function checkIfMatch(request: Request, revision: number): void {
  if (!ifMatchHolds(request, revision)) {
    throw new InventoryV1Error(
      412,
      `If-Match ${request.headers.get('if-match')} does not match the device's current ETag ${etagOf(revision)}: reload and retry`,
      {
        field: 'If-Match',
        currentETag: etagOf(revision),
      },
    );
  }
}

/** Whether the client made the write conditional (so a lost race is its 412, not a retry). */
export const hasIfMatch = (request: Request) => request.headers.get('if-match') !== null;
