// Read side of SMD's State/Components, Query, ByNID and memberships: SMD's component filter
// (§7 of the reference) turned into one Prisma `where`, and narrow selects that return plain
// rows. Decoding requests and shaping rows into SMD JSON is the SMD codec's job
// (src/codecs/smd); the rules live here, and their errors carry SMD's wording from the codec.
import { FILTER_ERRORS } from '../../codecs/smd/component-filter.js';
import { SMD_TEXTS, SmdRuleError } from '../../codecs/smd/errors.js';
import { parseGoBool } from '../../codecs/smd/values.js';
import type { Prisma } from '../../db/client.js';
import { componentRoles, componentSubRoles } from '../../domain/site-roles.js';
import { ARCHES, CLASSES, COMPONENT_FLAGS, COMPONENT_STATES } from '../../domain/vocabulary.js';
import { HMS_TYPES, normalizeXname, parseXname } from '../../domain/xname.js';
import type { ServiceContext } from '../core/context.js';
import type { ComponentFields } from './component.js';
import { MAX_NID, nidNumber, withNumberNid } from './nid.js';

// The other smd services import these from here.
export { FILTER_ERRORS, parseGoBool, SmdRuleError };

/**
 * SMD's component filter as given: every parameter a list of raw strings (query parameters
 * or a JSON body's arrays). Repeated values are ORed, `!` negates, different fields AND.
 */
export interface ComponentFilterParams {
  id?: string[];
  type?: string[];
  state?: string[];
  flag?: string[];
  enabled?: string[];
  softwareStatus?: string[];
  role?: string[];
  subRole?: string[];
  subtype?: string[];
  arch?: string[];
  class?: string[];
  nid?: string[];
  nidStart?: string[];
  nidEnd?: string[];
  group?: string[];
  partition?: string[];
  locked?: string[];
  reservationDisabled?: string[];
}

/** SMD's output limiters: stateonly, flagonly, roleonly, nidonly (the first true one wins). */
export type ComponentFieldSet = 'all' | 'state' | 'flag' | 'role' | 'nid';

/** A component row as read for SMD; which fields are present depends on the field set. */
/** A component as SMD lists it: its xname, its derived HMS type and its SMD fields. */
export interface SmdComponentRow extends ComponentFields {
  xname: string;
  type: string;
}

type Where = Prisma.ComponentWhereInput;

/** Rows of any field set, their NID (when selected) read back as a number. */
function asRows(rows: Array<{ xname: string; type: string; nid?: bigint | null }>): SmdComponentRow[] {
  return rows.map((row) => ('nid' in row ? { ...row, nid: nidNumber(row.nid ?? null) } : row)) as SmdComponentRow[];
}

const MAX_INT = MAX_NID;
const LABEL = /^[-a-z0-9:._]+$/;
const NONE: Where = { id: { in: [] } };

const SELECTS = {
  all: {
    xname: true,
    type: true,
    state: true,
    flag: true,
    enabled: true,
    softwareStatus: true,
    role: true,
    subRole: true,
    nid: true,
    subtype: true,
    netType: true,
    arch: true,
    class: true,
    reservationDisabled: true,
    locked: true,
  },
  state: { xname: true, type: true, state: true, flag: true },
  flag: { xname: true, type: true, flag: true },
  role: { xname: true, type: true, role: true, subRole: true },
  nid: { xname: true, type: true, nid: true },
} as const satisfies Record<ComponentFieldSet, Prisma.ComponentSelect>;

function lookup(values: readonly string[], extra: Record<string, string> = {}): (v: string) => string | undefined {
  const map = new Map<string, string>(values.map((v) => [v.toLowerCase(), v]));
  for (const [k, v] of Object.entries(extra)) map.set(k, v);
  return (v) => map.get(v.toLowerCase());
}

const TYPE_OF = lookup(HMS_TYPES, { all: 'All', all_comp: 'AllComp', all_svc: 'AllSvc', invalid: 'INVALID' });
const STATE_OF = lookup(COMPONENT_STATES);
const FLAG_OF = lookup(COMPONENT_FLAGS, { warn: 'Warning' });
// Roles and sub-roles include the site's additions (set at start-up): looked up when used.
const ROLE_OF = (v: string) => lookup(componentRoles())(v);
const SUBROLE_OF = (v: string) => lookup(componentSubRoles())(v);
const ARCH_OF = lookup(ARCHES);
const CLASS_OF = lookup(CLASSES);

/** SMD's strToDbBool: true/t/1 and false/f/0, any case. */
function dbBool(v: string): boolean | undefined {
  const lower = v.toLowerCase();
  if (lower === 'true' || lower === 't' || lower === '1') return true;
  if (lower === 'false' || lower === 'f' || lower === '0') return false;
  return undefined;
}

type Value = string | number | boolean | null;

interface Split {
  pos: Value[];
  neg: Value[];
}

/**
 * SMD's checkFilterField: each value, `!` stripped, is normalised by `parse`; "" is allowed
 * only where SMD allows it (and then means "unset": NULL here, "" in SMD's tables).
 */
function splitValues(
  raw: string[] | undefined,
  parse: (v: string) => Value | undefined,
  emptyOk: boolean,
  error: string,
): Split | undefined {
  if (!raw || raw.length === 0) return undefined;
  const split: Split = { pos: [], neg: [] };
  for (const value of raw) {
    const negated = value.startsWith('!');
    const bare = negated ? value.replace(/^!+/, '') : value;
    let parsed: Value | undefined;
    if (bare === '') {
      if (!emptyOk) throw new SmdRuleError(error);
      parsed = null;
    } else {
      parsed = parse(bare);
      if (parsed === undefined) throw new SmdRuleError(error);
    }
    (negated ? split.neg : split.pos).push(parsed);
  }
  return split;
}

/** One column's conditions: positives ORed, negatives ANDed; NULL stands for SMD's "". */
function columnWhere(field: string, split: Split | undefined, nullable: boolean): Where[] {
  if (!split) return [];
  const and: Where[] = [];
  const eq = (value: unknown) => ({ [field]: value }) as Where;
  // Prisma's boolean filters have no in/notIn.
  const isIn = (values: Value[]) => (typeof values[0] === 'boolean' ? (values.length === 1 ? eq(values[0]) : {}) : eq({ in: values }));
  const notIn = (values: Value[]) => (typeof values[0] === 'boolean' ? { AND: values.map((v) => eq({ not: v })) } : eq({ notIn: values }));
  if (split.pos.length) {
    const values = [...new Set(split.pos.filter((v) => v !== null))];
    const withNull = split.pos.includes(null);
    const inList = values.length ? [isIn(values)] : [];
    const nullCase = withNull ? (nullable ? [eq(null)] : [NONE]) : [];
    const options = [...inList, ...nullCase];
    and.push(options.length === 1 ? options[0] : { OR: options });
  }
  if (split.neg.length) {
    const values = split.neg.filter((v) => v !== null);
    if (split.neg.length !== values.length && nullable) and.push(eq({ not: null }));
    if (values.length) and.push(nullable ? { OR: [notIn(values), eq(null)] } : notIn(values));
  }
  return and;
}

/** SMD's nidStrTransform: "" is "no NID", otherwise digits only. */
function nidValue(v: string): number | null | undefined {
  if (v === '') return null;
  if (!/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n > MAX_INT ? MAX_INT + 1 : n;
}

function nidList(raw: string[] | undefined, negationOk: boolean): Split {
  const split: Split = { pos: [], neg: [] };
  for (const value of raw ?? []) {
    const negated = negationOk && value.startsWith('!');
    const parsed = nidValue(negated ? value.replace(/^!+/, '') : value);
    if (parsed === undefined) throw new SmdRuleError(FILTER_ERRORS.notAnInt);
    (negated ? split.neg : split.pos).push(parsed);
  }
  return split;
}

/** A NID bound that Prisma accepts for a 32-bit column. */
const bound = (n: number | null) => Math.min(n ?? -1, MAX_INT);

/**
 * SMD's NID rules: `nid` values alone work like any column; with `nid_start`/`nid_end` they are
 * paired by position into inclusive ranges, ORed with each other and with the plain NIDs, and
 * `nid_end` without any `nid_start` also requires NID ≥ 0.
 */
function nidWhere(params: ComponentFilterParams): Where[] {
  const nids = nidList(params.nid, true);
  const starts = nidList(params.nidStart, false).pos as Array<number | null>;
  const ends = nidList(params.nidEnd, false).pos as Array<number | null>;
  const nidEq = (n: number | null): Where => (n === null ? { nid: null } : n > MAX_INT ? NONE : { nid: n });
  if (starts.length === 0 && ends.length === 0) {
    if (nids.pos.length === 0 && nids.neg.length === 0) return [];
    const and: Where[] = [];
    if (nids.pos.length) and.push({ OR: nids.pos.map((n) => nidEq(n as number | null)) });
    for (const n of nids.neg) and.push(n === null ? { nid: { not: null } } : { NOT: nidEq(n as number) });
    return and;
  }
  const ranges: Where[] = starts.map((start, i) =>
    i < ends.length ? { nid: { gte: bound(start), lte: bound(ends[i]) } } : { nid: { gte: bound(start) } },
  );
  for (let i = starts.length; i < ends.length; i++) ranges.push({ nid: { lte: bound(ends[i]) } });
  for (const n of nids.pos) ranges.push(nidEq(n as number | null));
  const and: Where[] = [{ OR: ranges }];
  if (starts.length === 0) and.push({ nid: { gte: 0 } });
  for (const n of nids.neg) and.push(n === null ? { nid: { not: null } } : { NOT: nidEq(n as number) });
  return and;
}

/** SMD's validGroupField: "NULL", or a label (lower-cased here; SMD refuses upper case). */
function groupValues(raw: string[] | undefined, error: string): string[] {
  return (raw ?? []).map((value) => {
    if (value === 'NULL') return value;
    const label = value.toLowerCase();
    if (!LABEL.test(label)) throw new SmdRuleError(error);
    return label;
  });
}

const inKind = (kind: 'group' | 'partition', names?: string[]): Prisma.GroupMemberWhereInput => ({
  live: true,
  group: names ? { kind, name: { in: names } } : { kind },
});

/**
 * Group and partition filters as SMD's joinComponentsWithGroups applies them: one group and one
 * partition intersect; more than one of each is refused; NULL means "in no group" / "in no
 * partition" and may not be mixed with names; both NULL means "in neither".
 */
function membershipWhere(groups: string[], parts: string[]): Where[] {
  if (groups.length === 0 && parts.length === 0) return [];
  if (groups.length >= 1 && parts.length >= 1 && !(groups.length === 1 && parts.length === 1)) {
    throw new SmdRuleError(FILTER_ERRORS.groupAndPartition);
  }
  let partNull = false;
  let groupNull = false;
  if (parts.length === 1 && parts[0] === 'NULL') {
    if (groups.length === 0 || groups[0] === 'NULL') partNull = true;
    else throw new SmdRuleError(FILTER_ERRORS.nullPartBadGroup);
  }
  if (groups.length === 1 && groups[0] === 'NULL') {
    if (parts.length === 0 || partNull) groupNull = true;
    else throw new SmdRuleError(FILTER_ERRORS.nullGroupBadPart);
  }
  if (partNull && groupNull) return [{ memberships: { none: { live: true, componentId: { not: null } } } }];
  if (partNull) return [{ memberships: { none: inKind('partition') } }];
  if (groupNull) return [{ memberships: { none: inKind('group') } }];
  if (groups.length > 1 && groups.includes('NULL')) throw new SmdRuleError(FILTER_ERRORS.nullMixGroup);
  if (parts.length > 1 && parts.includes('NULL')) throw new SmdRuleError(FILTER_ERRORS.nullMixPart);
  const and: Where[] = [];
  if (groups.length) and.push({ memberships: { some: inKind('group', groups) } });
  if (parts.length) and.push({ memberships: { some: inKind('partition', parts) } });
  return and;
}

/**
 * The Prisma `where` for an SMD component filter over live components. Invalid values throw
 * SmdRuleError with SMD's text, checked in SMD's order (id, type, state, flag, enabled, role,
 * subrole, subtype, arch, class, nid, nid_start, nid_end, group, partition).
 */
export function componentFilterWhere(params: ComponentFilterParams): Where {
  const id = splitValues(params.id, (v) => parseXname(v)?.xname, false, FILTER_ERRORS.id);
  const type = splitValues(params.type, TYPE_OF, true, FILTER_ERRORS.type);
  const state = splitValues(params.state, STATE_OF, false, FILTER_ERRORS.state);
  const flag = splitValues(params.flag, FLAG_OF, false, FILTER_ERRORS.flag);
  const enabled = splitValues(params.enabled, dbBool, false, FILTER_ERRORS.enabled);
  const role = splitValues(params.role, ROLE_OF, true, FILTER_ERRORS.role);
  const subRole = splitValues(params.subRole, SUBROLE_OF, true, FILTER_ERRORS.subRole);
  const subtype = splitValues(params.subtype, (v) => (/^[\p{L}\p{N}]+$/u.test(v) ? v : undefined), true, FILTER_ERRORS.subtype);
  const arch = splitValues(params.arch, ARCH_OF, true, FILTER_ERRORS.arch);
  const hmsClass = splitValues(params.class, CLASS_OF, true, FILTER_ERRORS.class);
  const nid = nidWhere(params);
  const membership = membershipWhere(
    groupValues(params.group, FILTER_ERRORS.group),
    groupValues(params.partition, FILTER_ERRORS.partition),
  );
  // Not validated by SMD (they reach SQL as given); refused here rather than answered with a 500.
  const softwareStatus = splitValues(params.softwareStatus, (v) => v, true, FILTER_ERRORS.badArg);
  const locked = splitValues(params.locked, dbBool, false, FILTER_ERRORS.badArg);
  const reservationDisabled = splitValues(params.reservationDisabled, dbBool, false, FILTER_ERRORS.badArg);
  const and: Where[] = [
    { deletedAt: null },
    ...columnWhere('xname', id, false),
    ...columnWhere('type', type, false),
    ...columnWhere('state', state, false),
    ...columnWhere('flag', flag, false),
    ...columnWhere('enabled', enabled, false),
    ...columnWhere('softwareStatus', softwareStatus, true),
    ...columnWhere('role', role, true),
    ...columnWhere('subRole', subRole, true),
    ...columnWhere('subtype', subtype, true),
    ...columnWhere('arch', arch, true),
    ...columnWhere('class', hmsClass, true),
    ...columnWhere('locked', locked, false),
    ...columnWhere('reservationDisabled', reservationDisabled, false),
    ...nid,
    ...membership,
  ];
  return and.length === 1 ? and[0] : { AND: and };
}

/** The scope of SMD's Query: the IDs given, and whether each also selects its descendants. */
export interface QueryScope {
  ids: string[];
  /** True when the query has a `type` filter: each ID then selects itself and everything below. */
  descendants: boolean;
}

/**
 * SMD's `id([[:alpha:]][[:alnum:]]*)?`: x1c0 selects x1c0 and x1c0s0…, not x10c0. Checked by
 * walking up the xname (x1c0s0b0 → x1c0s0 → x1c0 → x1), so many IDs cost no more than one.
 */
function isSelfOrDescendant(xname: string, ids: Set<string>): boolean {
  for (let name: string | undefined = xname; name; ) {
    if (ids.has(name)) return true;
    const parent: string = name.replace(/[a-z]+\d+$/, '');
    name = parent !== name ? parent : undefined;
  }
  return false;
}

/** Above this many IDs the subtree condition is not sent to the database (SQLite limits expression depth). */
const MAX_PREFIXES = 200;

/**
 * Live components matching the filter, with the fields of the field set. One query; no order
 * (SMD applies none). With a scope, only the IDs given (or, with `descendants`, their subtrees);
 * "s0" or "all" among the IDs means the whole system.
 */
export async function findComponents(
  ctx: ServiceContext,
  params: ComponentFilterParams,
  fields: ComponentFieldSet = 'all',
  scope?: QueryScope,
): Promise<SmdComponentRow[]> {
  const where = componentFilterWhere(params);
  const select = SELECTS[fields];
  if (!scope || scope.ids.some((id) => id === 's0' || id === 'all')) {
    return asRows(await ctx.db.component.findMany({ where, select }));
  }
  const ids = [...new Set(scope.ids.map(normalizeXname))];
  if (!scope.descendants) {
    return asRows(await ctx.db.component.findMany({ where: { AND: [where, { xname: { in: ids } }] }, select }));
  }
  const prefixes = ids.length <= MAX_PREFIXES ? { OR: ids.map((p) => ({ xname: { startsWith: p } })) } : {};
  const rows = asRows(await ctx.db.component.findMany({ where: { AND: [where, prefixes] }, select }));
  const wanted = new Set(ids);
  return rows.filter((row) => isSelfOrDescendant(row.xname, wanted));
}

/** One live component by xname (normalised, not validated: an invalid one is simply absent). */
export async function findComponent(ctx: ServiceContext, xname: string): Promise<SmdComponentRow | null> {
  const row = await ctx.db.component.findFirst({ where: { xname: normalizeXname(xname), deletedAt: null }, select: SELECTS.all });
  return row && withNumberNid(row);
}

/** One live component by NID; SMD's errors for a NID that is not an integer or is negative. */
export async function findComponentByNid(ctx: ServiceContext, raw: string): Promise<SmdComponentRow | null> {
  if (!/^[+-]?\d+$/.test(raw)) throw new SmdRuleError(FILTER_ERRORS.notAnInt);
  const nid = Number(raw);
  if (nid < 0) throw new SmdRuleError(FILTER_ERRORS.outOfRange);
  if (nid > MAX_INT) return null;
  const row = await ctx.db.component.findFirst({ where: { nid, deletedAt: null }, select: SELECTS.all });
  return row && withNumberNid(row);
}

export interface Membership {
  xname: string;
  groupLabels: string[];
  partitionName: string;
}

/**
 * SMD memberships: one per live component matching the filter, with the labels of every live
 * group it is in (sorted) and its partition ("" when none). Three flat queries, joined here.
 */
export async function findMemberships(ctx: ServiceContext, params: ComponentFilterParams): Promise<Membership[]> {
  const where = componentFilterWhere(params);
  const filtered = Object.keys(params).some((k) => (params[k as keyof ComponentFilterParams]?.length ?? 0) > 0);
  const [components, members, groups] = await Promise.all([
    ctx.db.component.findMany({ where, select: { id: true, xname: true } }),
    ctx.db.groupMember.findMany({
      where: { live: true, componentId: { not: null }, ...(filtered ? { component: where } : {}) },
      select: { componentId: true, groupId: true },
    }),
    ctx.db.group.findMany({ where: { deletedAt: null }, select: { id: true, name: true, kind: true } }),
  ]);
  return joinMemberships(components, members, groups);
}

/** The membership of one live component, or null (an invalid xname is SMD's 400 "invalid xname"). */
export async function findMembership(ctx: ServiceContext, raw: string): Promise<Membership | null> {
  const parsed = parseXname(raw);
  if (!parsed) throw new SmdRuleError(SMD_TEXTS.invalidXname);
  const component = await ctx.db.component.findFirst({
    where: { xname: parsed.xname, deletedAt: null },
    select: { id: true, xname: true },
  });
  if (!component) return null;
  const members = await ctx.db.groupMember.findMany({
    where: { live: true, componentId: component.id },
    select: { componentId: true, groupId: true, group: { select: { id: true, name: true, kind: true } } },
  });
  return joinMemberships(
    [component],
    members,
    members.map((m) => m.group),
  )[0];
}

function joinMemberships(
  components: Array<{ id: string; xname: string }>,
  members: Array<{ componentId: string | null; groupId: string }>,
  groups: Array<{ id: string; name: string; kind: string }>,
): Membership[] {
  const groupOf = new Map(groups.map((g) => [g.id, g]));
  const byComponent = new Map<string, Membership>();
  const result: Membership[] = new Array(components.length);
  for (let i = 0; i < components.length; i++) {
    const membership: Membership = { xname: components[i].xname, groupLabels: [], partitionName: '' };
    result[i] = membership;
    byComponent.set(components[i].id, membership);
  }
  for (const member of members) {
    const membership = byComponent.get(member.componentId as string);
    const group = groupOf.get(member.groupId);
    if (!membership || !group) continue;
    if (group.kind === 'partition') membership.partitionName = group.name;
    else membership.groupLabels.push(group.name);
  }
  for (const membership of result) if (membership.groupLabels.length > 1) membership.groupLabels.sort();
  return result;
}
