// The GET /devices cursor: where the next page starts, as the last device of the page before
// (its createdAt and id, the list's order columns). Opaque to clients: base64url of a JSON pair.
import type { DeviceListCursor } from '../../services/inventory/index.js';
import { InventoryV1Error } from './errors.js';

const UUID_LIKE = /^[\w-]{1,200}$/;

export function encodeListCursor(cursor: DeviceListCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

/** The cursor a `next` gave; anything else is a 400 naming `cursor`. */
export function decodeListCursor(raw: string): DeviceListCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
    const createdAt = new Date(parsed[0]);
    if (!Number.isNaN(createdAt.getTime()) && UUID_LIKE.test(parsed[1])) return { createdAt, id: parsed[1] };
  }
  throw new InventoryV1Error(400, 'query parameter cursor is not a cursor this API gave (use the `next` of a previous page)', {
    field: 'cursor',
  });
}
