// GET /devices query parameters: filters, include_deleted and paging. A property filter is
// `properties.<key>=<value>` (value compared as text; repeat for several keys, all must hold).
import { isValidPropertyKey } from '../../domain/property-keys.js';
import type { DeviceListFilter, Page } from '../../services/inventory/index.js';
import { InventoryV1Error } from './errors.js';
import { decodeListCursor } from './list-cursor.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const PROPERTY_PREFIX = 'properties.';
const SCALAR_FILTERS = ['manufacturer', 'partNumber', 'serialNumber', 'parentID'] as const;
export const LIST_PARAMETERS = ['deviceType', ...SCALAR_FILTERS, 'include_deleted', 'limit', 'offset', 'cursor', 'count'];

/** A parameter with no name (`?=x`) is named by its place, so the problem still says which field is at fault. */
const badParameter = (name: string, reason: string) => {
  const field = name === '' ? '(a parameter without a name)' : name;
  return new InventoryV1Error(400, `query parameter ${field} ${reason}`, { field });
};

function integer(search: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = search.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw badParameter(name, `must be an integer from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  return value;
}

function flag(search: URLSearchParams, name: string): boolean | undefined {
  const raw = search.get(name);
  if (raw === null) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw badParameter(name, `must be true or false, not ${JSON.stringify(raw)}`);
}

export function includeDeleted(search: URLSearchParams): boolean {
  return flag(search, 'include_deleted') ?? false;
}

/**
 * Offset paging (`offset`, the default) or cursor paging (`cursor`, a previous page's `next`).
 * The total is counted for offset pages and, on cursor pages, only with `count=true`.
 */
function parsePage(search: URLSearchParams): Page {
  const limit = integer(search, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  const cursor = single(search, 'cursor');
  const count = flag(search, 'count');
  if (cursor === undefined) return { limit, offset: integer(search, 'offset', 0, 0, Number.MAX_SAFE_INTEGER), count: count ?? true };
  if (search.has('offset')) throw badParameter('offset', 'cannot be given with cursor (a cursor page starts where its cursor says)');
  return { limit, after: decodeListCursor(cursor), count: count ?? false };
}

function single(search: URLSearchParams, name: string): string | undefined {
  const values = search.getAll(name);
  if (values.length > 1) throw badParameter(name, 'may be given once');
  return values[0];
}

export function parseListQuery(search: URLSearchParams): { filter: DeviceListFilter; page: Page } {
  const properties: Array<{ key: string; value: string }> = [];
  for (const [name, value] of search) {
    if (name.startsWith(PROPERTY_PREFIX)) {
      const key = name.slice(PROPERTY_PREFIX.length);
      if (!isValidPropertyKey(key))
        throw badParameter(name, 'does not name a valid property key (lowercase snake_case, dots between namespace parts)');
      properties.push({ key, value });
    } else if (!LIST_PARAMETERS.includes(name)) {
      throw badParameter(name, `is not known (known: ${LIST_PARAMETERS.join(', ')}, properties.<key>)`);
    }
  }
  const [manufacturer, partNumber, serialNumber, parentID] = SCALAR_FILTERS.map((name) => single(search, name));
  const filter: DeviceListFilter = {
    deviceType: search.getAll('deviceType'),
    manufacturer,
    partNumber,
    serialNumber,
    // `parentID=null` asks for top-level devices.
    parentId: parentID === 'null' ? null : parentID,
    properties,
    includeDeleted: includeDeleted(search),
  };
  return {
    filter,
    page: parsePage(search),
  };
}
