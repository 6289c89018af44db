// SMD's scalar values as its handlers parse them from query parameters and bodies: Go's
// booleans, xnames, HMS type names, MACs, RFC 3339 times, and the `!`-negatable filter values
// of the Inventory collections.
import { HMS_TYPES, parseXname } from '../../domain/xname.js';
import { SmdRuleError } from './errors.js';

/** Query parameters as SMD reads them: names case-insensitive, every one repeatable. */
export interface QueryValues {
  /** Every value given for `name`, in order (empty when absent). */
  all(name: string): string[];
  /** The first value given for `name`. */
  get(name: string): string | undefined;
  has(name: string): boolean;
}

/** Go's strconv.ParseBool. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** A normalised xname, or undefined (xnametypes.VerifyNormalizeCompID). */
export function smdXname(raw: string): string | undefined {
  return parseXname(raw)?.xname;
}

const TYPE_BY_LOWER = new Map([...HMS_TYPES, 'All', 'AllComp', 'AllSvc'].map((t) => [t.toLowerCase(), t]));
TYPE_BY_LOWER.set('all_comp', 'AllComp');
TYPE_BY_LOWER.set('all_svc', 'AllSvc');

/** An HMS type name in its canonical spelling, matched case-insensitively, or undefined. */
export function smdType(raw: string): string | undefined {
  return TYPE_BY_LOWER.get(raw.trim().toLowerCase());
}

/** SMD's NormalizeVerifyMAC: separators (":", "-", ".") dropped, 12 hex digits, colon form. */
export function smdMac(raw: string): string {
  const stripped = raw.toLowerCase().replace(/[-:.]/g, '').trim();
  if (stripped.length !== 12) throw new SmdRuleError('MAC string has invalid length');
  if (!/^[0-9a-f]{12}$/.test(stripped)) throw new SmdRuleError(`strconv.ParseInt: parsing "${stripped}": invalid syntax`);
  return stripped.match(/../g)?.join(':') as string;
}

/** An RFC 3339 time (SMD parses Go's time.RFC3339), or undefined. */
export function parseRfc3339(raw: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw.trim())) return undefined;
  const date = new Date(raw.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A time as SMD's inventory writes it: RFC 3339 in UTC with milliseconds. */
export const timestamp = (date: Date) => date.toISOString();

/** A time as Go's time.RFC3339 writes it (the locks): UTC, whole seconds. */
export const rfc3339Seconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Values of one filter parameter split SMD's way: plain ones ORed, `!`-negated ones excluded. */
export interface Negatable {
  in: string[];
  notIn: string[];
}

/**
 * Parses each value (after a leading "!") with `parse`; a value it refuses (undefined for a
 * non-empty input) is SmdRuleError `detail`. Empty values stay "" (they match empty columns).
 */
export function negatable(values: string[], parse: (v: string) => string | undefined, detail: string): Negatable | undefined {
  if (values.length === 0) return undefined;
  const out: Negatable = { in: [], notIn: [] };
  for (const raw of values) {
    const negated = raw.startsWith('!');
    const text = negated ? raw.replace(/^!+/, '') : raw;
    const value = text === '' ? '' : parse(text);
    if (value === undefined) throw new SmdRuleError(detail);
    (negated ? out.notIn : out.in).push(value);
  }
  return out;
}
