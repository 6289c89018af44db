// SMD's component filter as it arrives (query parameters, or the JSON body of the Query
// routes) gathered into the services' ComponentFilterParams, the output limiters
// (stateonly …), NID ranges, and SMD's wording for a filter it refuses.
import type { ComponentFieldSet, ComponentFilterParams } from '../../services/smd/index.js';
import { SmdRuleError } from './errors.js';
import { filterValues, type Obj, optBool } from './go-json.js';
import { parseGoBool, type QueryValues } from './values.js';

/** SMD's filter errors (hmsds), without the per-endpoint prefix. */
export const FILTER_ERRORS = {
  id: 'Argument was not a valid xname ID',
  type: 'Argument was not a valid HMS Type',
  state: 'Argument was not a valid HMS State',
  flag: 'Argument was not a valid HMS Flag',
  enabled: 'a required argument did not match any valid input',
  role: 'Argument was not a valid HMS Role',
  subRole: 'Argument was not a valid HMS SubRole',
  subtype: 'Argument was not a valid HMS Subtype',
  arch: 'Argument was not a valid HMS Arch',
  class: 'Argument was not a valid HMS Class',
  notAnInt: 'a required argument was not an integer',
  outOfRange: 'An argument was out of range',
  badArg: 'Argument was not valid',
  group: 'no such group',
  partition: 'no such partition',
  groupAndPartition: 'group and partition cannot both have more than one value',
  nullGroupBadPart: 'NULL group and non-NULL partition arg not permitted',
  nullPartBadGroup: 'NULL partition and non-NULL group arg not permitted',
  nullMixGroup: 'NULL and non-NULL group arguments not permitted',
  // SMD's spelling.
  nullMixPart: 'NULL and non-NULL partrition arguments not permitted',
  nidRange: 'argument was not a valid NID Range',
} as const;

/** Filter fields and their SMD parameter names (hmsds.ComponentFilter's JSON tags). */
const FILTER_NAMES: ReadonlyArray<readonly [keyof ComponentFilterParams, string]> = [
  ['id', 'id'],
  ['type', 'type'],
  ['state', 'state'],
  ['flag', 'flag'],
  ['enabled', 'enabled'],
  ['softwareStatus', 'softwarestatus'],
  ['role', 'role'],
  ['subRole', 'subrole'],
  ['subtype', 'subtype'],
  ['arch', 'arch'],
  ['class', 'class'],
  ['nid', 'nid'],
  ['nidStart', 'nid_start'],
  ['nidEnd', 'nid_end'],
  ['group', 'group'],
  ['partition', 'partition'],
  ['locked', 'locked'],
  ['reservationDisabled', 'reservation_disabled'],
];

/** Query parameters (names case-insensitive, every one repeatable; unknown ones ignored). */
export function filterFromQuery(query: QueryValues): ComponentFilterParams {
  const params: ComponentFilterParams = {};
  for (const [field, name] of FILTER_NAMES) {
    const values = query.all(name);
    if (values.length) params[field] = values;
  }
  return params;
}

/** The filter fields of a JSON body (POST Query routes). */
export function filterFromBody(body: Obj): ComponentFilterParams {
  const params: ComponentFilterParams = {};
  for (const [field, name] of FILTER_NAMES) {
    const values = filterValues(body, name);
    if (values) params[field] = values;
  }
  return params;
}

const LIMITERS: ReadonlyArray<readonly [string, ComponentFieldSet]> = [
  ['stateonly', 'state'],
  ['flagonly', 'flag'],
  ['roleonly', 'role'],
  ['nidonly', 'nid'],
];

/** stateonly/flagonly/roleonly/nidonly as query parameters (Go ParseBool of the first value). */
export function fieldSetFromQuery(query: QueryValues): ComponentFieldSet {
  for (const [name, set] of LIMITERS) {
    const first = query.get(name);
    if (first !== undefined && parseGoBool(first) === true) return set;
  }
  return 'all';
}

/** stateonly/flagonly/roleonly/nidonly as JSON booleans. */
export function fieldSetFromBody(body: Obj): ComponentFieldSet {
  for (const [name, set] of LIMITERS) if (optBool(body, name, 'main.FieldFltrIn') === true) return set;
  return 'all';
}

/**
 * SMD's nidRangeToCompFilter for POST ByNID/Query: "5" is a NID, "10-20" an inclusive range.
 * Replaces any nid, nid_start and nid_end the body gave (SMD resets them).
 */
export function withNidRanges(params: ComponentFilterParams, ranges: string[]): ComponentFilterParams {
  const nid: string[] = [];
  const nidStart: string[] = [];
  const nidEnd: string[] = [];
  for (const range of ranges) {
    const parts = range.split('-');
    if (parts.length > 1) {
      if (parts[0] === '' || parts[parts.length - 1] === '') throw new SmdRuleError(FILTER_ERRORS.nidRange);
      nidStart.push(parts[0]);
      nidEnd.push(parts[parts.length - 1]);
    } else if (range !== '') {
      nid.push(range);
    }
  }
  return { ...params, nid, nidStart, nidEnd };
}

/** A filter error as the listing routes answer it: 400 "bad query param: <error>"; other errors pass. */
export function badQueryParam(error: unknown): unknown {
  if (error instanceof SmdRuleError && error.code === 'BAD_USER_INPUT') return new SmdRuleError(`bad query param: ${error.message}`);
  return error;
}
