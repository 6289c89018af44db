// `offset` and `limit` as reference_api_v2 declares them on every collection:
// offset: int = Query(0, ge=0), limit: int = Query(500, gt=0, le=500). Parameter names are
// case-sensitive and the last of repeated values wins (Starlette's query parameters); bad
// values are pydantic's errors, all of them at once.
import { type Invalid, Unprocessable } from './errors.js';

export const MAX_LIMIT = 500;

interface Bounds {
  gt?: number;
  ge?: number;
  le?: number;
}

function integer(url: URL, name: string, fallback: number, bounds: Bounds, errors: Invalid[]): number {
  const raw = url.searchParams.getAll(name).at(-1);
  if (raw === undefined) return fallback;
  const loc: [string, string] = ['query', name];
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    errors.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw });
    return fallback;
  }
  // Beyond 2^53 the value only needs to compare right (an offset past every item).
  const value = Math.min(Number(raw), Number.MAX_SAFE_INTEGER);
  const failed = (type: string, msg: string, ctx: Record<string, number>) => errors.push({ type, loc, msg, input: raw, ctx });
  if (bounds.gt !== undefined && !(value > bounds.gt))
    failed('greater_than', `Input should be greater than ${bounds.gt}`, { gt: bounds.gt });
  else if (bounds.ge !== undefined && !(value >= bounds.ge))
    failed('greater_than_equal', `Input should be greater than or equal to ${bounds.ge}`, { ge: bounds.ge });
  else if (bounds.le !== undefined && !(value <= bounds.le))
    failed('less_than_equal', `Input should be less than or equal to ${bounds.le}`, { le: bounds.le });
  return value;
}

export function page(url: URL): { offset: number; limit: number } {
  const errors: Invalid[] = [];
  const offset = integer(url, 'offset', 0, { ge: 0 }, errors);
  const limit = integer(url, 'limit', MAX_LIMIT, { gt: 0, le: MAX_LIMIT }, errors);
  if (errors.length) throw new Unprocessable(errors);
  return { offset, limit };
}
