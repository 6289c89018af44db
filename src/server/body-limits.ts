// How large a request body may be, per route, and how a refusal looks to its client. Every
// route has a limit (--max-body-bytes); imports, which take whole inventories, have their own
// (--max-import-body-bytes). The app enforces them while the body streams (bounded-body.ts).
import { type PayloadTooLargeError, payloadTooLargeProblem } from '../rest-compat/http/bounded-body.js';
import { MAX_BODY_BYTES } from '../rest-compat/http/respond.js';
import { IMPORT_PREFIX } from '../rest-compat/import-export/index.js';

export interface BodyLimits {
  /** Every route but the imports; also bounds GraphQL (importInventory's document included). */
  maxBodyBytes: number;
  /** POST /apis/import/v1/{format}: a whole inventory, streamed into one transaction. */
  maxImportBodyBytes: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBodyBytes: MAX_BODY_BYTES, maxImportBodyBytes: 1024 * 1024 * 1024 };

export interface BodyLimit {
  bytes: number;
  /** The flag that sets it, named in the 413. */
  setting: string;
}

export function bodyLimitOf(pathname: string, limits: BodyLimits): BodyLimit {
  return pathname === IMPORT_PREFIX || pathname.startsWith(`${IMPORT_PREFIX}/`)
    ? { bytes: limits.maxImportBodyBytes, setting: '--max-import-body-bytes' }
    : { bytes: limits.maxBodyBytes, setting: '--max-body-bytes' };
}

/**
 * The 413: problem+json on REST (SMD's problem shape: type, title, status, detail), and for
 * /graphql a GraphQL error list, which GraphQL clients read whatever the status (yoga answers a
 * body it cannot parse the same way). Both close the connection, so the rest is never read.
 */
export function payloadTooLarge(pathname: string, error: PayloadTooLargeError): Response {
  if (pathname !== '/graphql') return payloadTooLargeProblem(error);
  const body = { errors: [{ message: error.message, extensions: { code: 'PAYLOAD_TOO_LARGE', max: error.limit } }] };
  return new Response(JSON.stringify(body), { status: 413, headers: { 'content-type': 'application/json', connection: 'close' } });
}
