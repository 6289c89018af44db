// SMD components (base.Component) ⇄ the component service: the JSON State/Components answers
// (also a Fabrica Component's spec and an SMD dump's records), the request bodies of the
// /hsm/v2 routes (POST, PUT, Query, ByNID/Query, the PATCH operations) and of Fabrica specs,
// and SMD's wording for what the service refuses.
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { normalizeXname, parseXname } from '../../domain/xname.js';
import type {
  ComponentFieldSet,
  ComponentFields,
  ComponentFilterParams,
  ComponentInput,
  SmdComponentRow,
} from '../../services/smd/index.js';
import { badQueryParam, fieldSetFromBody, filterFromBody, withNidRanges } from './component-filter.js';
import { SMD_TEXTS, SmdRuleError, smdConflict, smdNotFound } from './errors.js';
import { emptyAsNull, type FieldNames, type SmdDialect, smdInteger, smdObject, withoutUndefined } from './fields.js';
import { asObject, decodeError, get, type Obj, optArray, optBool, optObject, optString, optStringList } from './go-json.js';

/** Service field → SMD JSON key, for error messages that name what the client sent. */
export const COMPONENT_FIELD_NAMES: FieldNames = {
  xname: 'ID',
  type: 'Type',
  state: 'State',
  flag: 'Flag',
  enabled: 'Enabled',
  softwareStatus: 'SoftwareStatus',
  role: 'Role',
  subRole: 'SubRole',
  nid: 'NID',
  subtype: 'Subtype',
  netType: 'NetType',
  arch: 'Arch',
  class: 'Class',
  reservationDisabled: 'ReservationDisabled',
  locked: 'Locked',
  input: 'spec',
};

export const COMPONENT_TEXTS = {
  noSuchNid: 'no such NID.',
  missingComponents: 'Missing Components',
  missingIds: 'Missing IDs',
  missingNidRanges: 'Missing NID ranges',
  idMismatch: 'ID in URL and POST body do not match',
  patchIdMismatch: 'ID in URL and PATCH body do not match',
  nidMissing: 'NID value missing.  Use NID < 0 to unset.',
} as const;

// --- encoding -----------------------------------------------------------------------------------

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
export function componentsJson(rows: readonly SmdComponentRow[]): { Components: Obj[] } {
  const components = new Array<Obj>(rows.length);
  for (let i = 0; i < rows.length; i++) components[i] = componentJson(rows[i]);
  return { Components: components };
}

// --- decoding one component ---------------------------------------------------------------------

/** SMD's json.Number NID: absent or "" → not given; negative or not an integer → "no NID". */
function strictNid(value: unknown, field: string): number | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (Number.isNaN(n)) throw decodeError(value, field, 'json.Number');
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/**
 * One component of a body (Type is ignored: it follows from the ID). Keys not present stay
 * undefined, so the result suits a partial update.
 * - strict (`at` is the Go struct, for decode errors): "" is not given, false flags are not
 *   given, a negative or fractional NID is "no NID"; the ID is "" when absent.
 * - lenient (`at` is the field named when the value is not an object): "" and null clear a
 *   field, a NID may be a string of digits, and the service checks the values.
 */
export function decodeComponent(value: unknown, dialect: SmdDialect, at = 'input'): ComponentInput {
  if (dialect === 'lenient') {
    const body = smdObject(value, at);
    const text = (key: string) => emptyAsNull(get(body, key)) as string | null | undefined;
    const required = (key: string) => {
      const v = get(body, key);
      return v === '' || v === null ? undefined : (v as string | undefined);
    };
    return withoutUndefined({
      xname: get(body, 'ID') as string,
      state: required('State'),
      flag: required('Flag'),
      enabled: get(body, 'Enabled') as boolean | undefined,
      softwareStatus: text('SoftwareStatus'),
      role: text('Role'),
      subRole: text('SubRole'),
      nid: smdInteger(emptyAsNull(get(body, 'NID'))) as number | null | undefined,
      subtype: text('Subtype'),
      netType: text('NetType'),
      arch: text('Arch'),
      class: text('Class'),
      reservationDisabled: get(body, 'ReservationDisabled') as boolean | undefined,
      locked: get(body, 'Locked') as boolean | undefined,
    });
  }
  const obj = asObject(value, 'base.Component');
  const text = (name: string) => optString(obj, name, at) || undefined;
  // Read in this order: of several wrongly typed values, the first in it is the one reported.
  const [xname, state, flag, role, subRole, netType, arch, hmsClass] = [
    'ID',
    'State',
    'Flag',
    'Role',
    'SubRole',
    'NetType',
    'Arch',
    'Class',
  ].map(text);
  return withoutUndefined({
    xname: xname ?? '',
    state,
    flag,
    enabled: optBool(obj, 'Enabled', at),
    softwareStatus: text('SoftwareStatus'),
    role,
    subRole,
    nid: strictNid(get(obj, 'NID'), `${at}.NID`),
    subtype: text('Subtype'),
    netType,
    arch,
    class: hmsClass,
    reservationDisabled: optBool(obj, 'ReservationDisabled', at) || undefined,
    locked: optBool(obj, 'Locked', at) || undefined,
  });
}

/** What a full replacement sets for fields the spec leaves out. */
const COMPONENT_DEFAULTS: Required<ComponentFields> = {
  state: 'Unknown',
  flag: 'OK',
  enabled: true,
  softwareStatus: null,
  role: null,
  subRole: null,
  nid: null,
  subtype: null,
  netType: null,
  arch: null,
  class: null,
  locked: false,
  reservationDisabled: false,
};

/** Every component field of a lenient spec: its own, else the default (a PUT that replaces the whole spec, a dump's record). */
export function componentReplacement(value: unknown, field = 'input'): ComponentInput {
  return { ...COMPONENT_DEFAULTS, ...decodeComponent(value, 'lenient', field) };
}

// --- /hsm/v2 request bodies -----------------------------------------------------------------------

/** POST /State/Components (sm.ComponentsPost): the components and `force`. */
export function decodeComponentsPost(value: unknown): { inputs: ComponentInput[]; force: boolean } {
  const body = asObject(value, 'sm.ComponentsPost');
  const list = optArray(body, 'Components', 'sm.ComponentsPost', '[]*base.Component') ?? [];
  const inputs = list.map((item) => decodeComponent(item, 'strict', 'sm.ComponentsPost.Components'));
  if (inputs.length === 0 || inputs[0].xname === '') throw new SmdRuleError(COMPONENT_TEXTS.missingComponents);
  return { inputs, force: optBool(body, 'force', 'sm.ComponentsPost') ?? false };
}

/** PUT /State/Components/{xname} (sm.ComponentPut): the component, its ID the URL's when the body has none. */
export function decodeComponentPut(value: unknown, urlXname: string): { input: ComponentInput; force: boolean } {
  const xname = normalizeXname(urlXname);
  const body = asObject(value, 'sm.ComponentPut');
  const component = optObject(body, 'component', 'sm.ComponentPut', 'base.Component') ?? {};
  const input = decodeComponent(component, 'strict', 'sm.ComponentPut.component');
  if (input.xname === '') input.xname = xname;
  else if (normalizeXname(input.xname) !== xname) throw new SmdRuleError(COMPONENT_TEXTS.idMismatch);
  return { input, force: optBool(body, 'force', 'sm.ComponentPut') ?? false };
}

/** SMD's VerifyNormalize wording for the field a ValidationError names. */
const PHRASES: Readonly<Record<string, string>> = {
  xname: 'xname ID',
  state: 'state',
  flag: 'flag',
  role: 'role',
  subRole: 'subRole',
  netType: 'netType',
  arch: 'arch',
  class: 'class',
};

/**
 * An upsert's error as SMD answers it ("couldn't validate components: state 'X' is invalid"),
 * and a NID conflict (SMD does not check NIDs) as a 409; `inputs` are what was decoded.
 */
export function componentUpsertError(error: unknown, inputs: readonly ComponentInput[], plural: boolean): unknown {
  const prefix = plural ? "couldn't validate components: " : "couldn't validate component: ";
  if (error instanceof ValidationError && error.field) {
    const [, index, name] = error.field.split('.');
    const phrase = PHRASES[name];
    const input = inputs[Number(index)] as unknown as Record<string, unknown> | undefined;
    if (phrase && input) return new SmdRuleError(`${prefix}${phrase} '${input[name] ?? ''}' is invalid`);
    return new SmdRuleError(`${prefix}${error.message}`);
  }
  if (error instanceof ConflictError) return smdConflict(`operation '${plural ? 'Post Components' : 'PUT'}' failed: ${error.message}`);
  return error;
}

/** DELETE /State/Components/{xname}: an invalid xname is a 400, a missing one a 404. */
export function componentDeleteError(error: unknown): unknown {
  if (error instanceof ValidationError) return new SmdRuleError(SMD_TEXTS.invalidXname);
  if (error instanceof NotFoundError) return smdNotFound(SMD_TEXTS.noSuchXname);
  return error;
}

/** POST /State/Components/Query (main.CompQueryIn): the IDs, the filter and the field set. */
export function decodeComponentQuery(value: unknown): { ids: string[]; filter: ComponentFilterParams; fields: ComponentFieldSet } {
  const body = asObject(value, 'main.CompQueryIn');
  const ids = optStringList(body, 'ComponentIDs', 'main.CompQueryIn') ?? [];
  if (ids.length === 0) throw new SmdRuleError(COMPONENT_TEXTS.missingIds);
  return { ids, filter: filterFromBody(body), fields: fieldSetFromBody(body) };
}

/** POST /State/Components/ByNID/Query (main.NIDQueryIn): the filter with its NID ranges, and the field set. */
export function decodeNidQuery(value: unknown): { filter: ComponentFilterParams; fields: ComponentFieldSet } {
  const body = asObject(value, 'main.NIDQueryIn');
  const ranges = optStringList(body, 'NIDRanges', 'main.NIDQueryIn') ?? [];
  if (ranges.length === 0) throw new SmdRuleError(COMPONENT_TEXTS.missingNidRanges);
  const fields = fieldSetFromBody(body);
  const filter = filterFromBody(body);
  try {
    return { filter: withNidRanges(filter, ranges), fields };
  } catch (error) {
    throw badQueryParam(error);
  }
}

// --- PATCH operations ---------------------------------------------------------------------------

export type ComponentPatchOp = 'StateData' | 'FlagOnly' | 'Enabled' | 'SoftwareStatus' | 'Role' | 'NID';

/** A decoded PATCH: the normalised xnames and what the operation sets. */
export type ComponentPatch =
  | { op: 'StateData'; ids: string[]; state: string; flag: string | undefined; force: boolean }
  | { op: 'FlagOnly' | 'Enabled' | 'SoftwareStatus' | 'Role'; ids: string[]; fields: ComponentFields }
  | { op: 'NID'; ids: string[]; nid: number | null };

/** The fields of SMD's CompUpdate (PATCH bodies), decoded with Go's types. */
interface CompUpdate {
  ids: unknown[] | undefined;
  state: string;
  flag: string;
  enabled: boolean | undefined;
  softwareStatus: string | undefined;
  role: string | undefined;
  subRole: string | undefined;
  nid: number | undefined;
  force: boolean;
}

function decodeUpdate(body: Obj): CompUpdate {
  const struct = 'main.CompUpdate';
  const nid = get(body, 'NID');
  if (nid !== undefined && nid !== null && (typeof nid !== 'number' || !Number.isInteger(nid)))
    throw decodeError(nid, `${struct}.NID`, 'int64');
  return {
    ids: optArray(body, 'ComponentIDs', struct, '[]string'),
    state: optString(body, 'State', struct) ?? '',
    flag: optString(body, 'Flag', struct) ?? '',
    enabled: optBool(body, 'Enabled', struct),
    softwareStatus: optString(body, 'SoftwareStatus', struct),
    role: optString(body, 'Role', struct),
    subRole: optString(body, 'SubRole', struct),
    nid: nid === null ? undefined : (nid as number | undefined),
    force: optBool(body, 'Force', struct) ?? false,
  };
}

/**
 * The xnames of an SMD PATCH, normalised: none is "Missing IDs", an invalid one "invalid xname
 * ID" (SMD checks them before anything else in the request).
 */
export function requireComponentIds(ids: unknown[] | null | undefined): string[] {
  if (!ids || ids.length === 0) throw new SmdRuleError(COMPONENT_TEXTS.missingIds);
  return ids.map((id) => {
    const parsed = typeof id === 'string' ? parseXname(id) : undefined;
    if (!parsed) throw new SmdRuleError(SMD_TEXTS.invalidXnameId);
    return parsed.xname;
  });
}

const NO_MATCH = 'a required argument did not match any valid input';

/** SMD's doCompUpdate checks: the IDs first, then the operation's own field ("Missing State" …). */
function patchOf(op: ComponentPatchOp, update: CompUpdate): ComponentPatch {
  const ids = requireComponentIds(update.ids);
  const missing = (what: string) => new SmdRuleError(`Missing ${what}`);
  switch (op) {
    case 'StateData':
      if (update.state === '') throw missing('State');
      return { op, ids, state: update.state, flag: update.flag || undefined, force: update.force };
    case 'FlagOnly':
      if (update.flag === '') throw missing('Flag');
      return { op, ids, fields: { flag: update.flag } };
    case 'Enabled':
      if (update.enabled === undefined) throw missing('Enabled field');
      return { op, ids, fields: { enabled: update.enabled } };
    case 'SoftwareStatus':
      if (update.softwareStatus === undefined) throw missing('SoftwareStatus');
      return { op, ids, fields: { softwareStatus: update.softwareStatus } };
    case 'Role':
      if (update.role === undefined) throw missing('Role');
      // SMD refuses an empty Role; the service would read "" as "clear it".
      if (update.role === '') throw new SmdRuleError(NO_MATCH);
      return { op, ids, fields: { role: update.role, subRole: update.subRole || null } };
    case 'NID':
      if (update.nid === undefined) throw missing('NID');
      return { op, ids, nid: update.nid < 0 ? null : update.nid };
  }
}

/** PATCH /State/Components/Bulk<op> (main.CompUpdate). */
export function decodeComponentBulkPatch(op: ComponentPatchOp, value: unknown): ComponentPatch {
  return patchOf(op, decodeUpdate(asObject(value, 'main.CompUpdate')));
}

/** PATCH /State/Components/{xname}/<op> (main.compPatchIn): a body ID must be the URL's, as given (not normalised). */
export function decodeComponentPatch(op: ComponentPatchOp, value: unknown, urlXname: string): ComponentPatch {
  const body = asObject(value, 'main.compPatchIn');
  const id = optString(body, 'ID', 'main.compPatchIn') ?? '';
  if (id !== '' && id !== urlXname) throw new SmdRuleError(COMPONENT_TEXTS.patchIdMismatch);
  return patchOf(op, { ...decodeUpdate(body), ids: [id || urlXname] });
}

/** PATCH BulkNID (main.componentArrayIn): each component its own NID; a negative one unsets it. */
export function decodeComponentNids(value: unknown): Array<{ xname: string; nid: number | null }> {
  const body = asObject(value, 'main.componentArrayIn');
  const list = optArray(body, 'Components', 'main.componentArrayIn', '[]base.Component') ?? [];
  const items = list.map((entry) => {
    const obj = asObject(entry, 'base.Component');
    return { id: optString(obj, 'ID', 'base.Component') ?? '', nid: get(obj, 'NID') };
  });
  if (items.length === 0 || items[0].id === '') throw new SmdRuleError(COMPONENT_TEXTS.missingComponents);
  return items.map((item) => {
    // SMD needs an integral json.Number here.
    const nid = strictNid(item.nid, 'base.Component.NID');
    const integral = typeof item.nid === 'number' ? Number.isInteger(item.nid) : typeof item.nid === 'string' && /^-?\d+$/.test(item.nid);
    if (nid === undefined || !integral) throw new SmdRuleError(COMPONENT_TEXTS.nidMissing);
    return { xname: item.id, nid };
  });
}

/** SMD's texts for a PATCH operation's refused values, by the field the service names. */
const PATCH_TEXTS: Readonly<Record<ComponentPatchOp, Readonly<Record<string, string>>>> = {
  StateData: {
    state: 'Argument was not a valid HMS State',
    flag: 'Argument was not a valid HMS Flag',
    force: 'operation not allowed and not forced.',
  },
  FlagOnly: { flag: NO_MATCH },
  Enabled: {},
  SoftwareStatus: {},
  Role: { role: NO_MATCH, subRole: NO_MATCH },
  NID: {},
};

/** A PATCH operation's service error in SMD's words; other errors pass. */
export function componentPatchError(op: ComponentPatchOp, error: unknown): unknown {
  if (error instanceof ValidationError && error.field) {
    const name = error.field.split('.').pop() as string;
    const text = PATCH_TEXTS[op][name];
    if (text) return new SmdRuleError(text);
    if (/^(xnames|components)\.\d+$/.test(error.field) || name === 'xname') return new SmdRuleError(SMD_TEXTS.invalidXnameId);
    return new SmdRuleError(error.message);
  }
  if (error instanceof ConflictError) return smdConflict(error.message);
  return error;
}
