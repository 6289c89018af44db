// SMD's component filter as it arrives (query parameters, or a JSON body for the Query routes)
// gathered into the services' ComponentFilterParams, and component rows shaped into SMD's JSON.
import {
  type ComponentFieldSet,
  type ComponentFilterParams,
  parseGoBool,
  type SmdComponentRow,
  SmdRuleError,
} from '../../../services/smd/index.js';
import type { QueryParams } from '../../http/query.js';
import { json } from '../../http/respond.js';
import { SmdError } from '../errors.js';
import { filterValues, type Obj, optBool } from './wire.js';

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
export function filterFromQuery(query: QueryParams): ComponentFilterParams {
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
export function fieldSetFromQuery(query: QueryParams): ComponentFieldSet {
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
 * One component in SMD's JSON (base.Component): keys in Go's order, the optional ones left out
 * when empty, false or unset, NID a number. Rows of a limited field set carry only their fields.
 */
export function componentJson(row: SmdComponentRow): Obj {
  const out: Obj = { ID: row.xname, Type: row.type };
  if (row.state) out.State = row.state;
  if (row.flag) out.Flag = row.flag;
  if (row.enabled !== undefined) out.Enabled = row.enabled;
  if (row.softwareStatus) out.SoftwareStatus = row.softwareStatus;
  if (row.role) out.Role = row.role;
  if (row.subRole) out.SubRole = row.subRole;
  if (row.nid != null && row.nid >= 0) out.NID = row.nid;
  if (row.subtype) out.Subtype = row.subtype;
  if (row.netType) out.NetType = row.netType;
  if (row.arch) out.Arch = row.arch;
  if (row.class) out.Class = row.class;
  if (row.reservationDisabled) out.ReservationDisabled = true;
  if (row.locked) out.Locked = true;
  return out;
}

/** `{"Components":[...]}`. */
export function componentArray(rows: SmdComponentRow[]): Response {
  const components = new Array<Obj>(rows.length);
  for (let i = 0; i < rows.length; i++) components[i] = componentJson(rows[i]);
  return json({ Components: components });
}

/** Runs a read whose filter errors SMD reports as 400 "bad query param: <error>". */
export async function withFilterPrefix<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SmdRuleError && error.code === 'BAD_USER_INPUT') throw new SmdError(400, `bad query param: ${error.message}`);
    throw error;
  }
}
