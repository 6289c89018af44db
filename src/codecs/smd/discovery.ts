// SMD's discovery (/Inventory/Discover, /Inventory/DiscoveryStatus): the Discover request
// body, the status records, and SMD's words for both.
import { InventoryError } from '../../domain/errors.js';
import type { DiscoveryStatusView } from '../../services/smd/index.js';
import { SmdRuleError, smdNotFound } from './errors.js';
import { objectAt, optBool, optStringList } from './go-json.js';
import { timestamp } from './values.js';

export const DISCOVERY_TEXTS = {
  notUnderstood: 'POST body was not understood',
  badId: 'DiscoveryStatus ID not an unsigned integer',
  noSuchId: 'no such DiscoveryStatus ID.',
} as const;

export function discoveryStatusJson(row: DiscoveryStatusView) {
  const out: Record<string, unknown> = { ID: row.id, Status: row.status, LastUpdateTime: timestamp(row.lastUpdateTime) };
  if (row.details != null) out.Details = row.details;
  return out;
}

/** A DiscoveryStatus ID of a path: an unsigned 32-bit integer. */
export function discoveryStatusIdOf(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 4294967295) throw new SmdRuleError(DISCOVERY_TEXTS.badId);
  return Number(raw);
}

/** POST /Inventory/Discover: the xnames to discover (none: all) and `force`; any decode error is SMD's one text. */
export function decodeDiscover(value: unknown): { xnames: string[] | undefined; force: boolean | undefined } {
  try {
    const body = objectAt(value, '');
    return { xnames: optStringList(body, 'xnames', undefined, 'array'), force: optBool(body, 'force') };
  } catch {
    throw new SmdRuleError(DISCOVERY_TEXTS.notUnderstood);
  }
}

/** Discover's service error in SMD's words: an unknown endpoint, or none at all. */
export function discoverError(error: unknown): unknown {
  if (error instanceof InventoryError && error.code === 'NOT_FOUND') {
    const missing = /"([^"]*)"/.exec(error.message)?.[1];
    return smdNotFound(error.field === 'xnames' ? `No such RedfishEndpoint: ${missing}` : 'RedfishEndpoints collection is empty');
  }
  return error;
}
