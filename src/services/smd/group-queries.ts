// Read side of SMD groups and partitions: groups with their member xnames, filtered the way
// SMD's /groups and /partitions filter them. Flat queries joined here (no per-group queries).
import { parseXname } from '../../domain/xname.js';
import type { ServiceContext } from '../core/context.js';
import { FILTER_ERRORS, SmdRuleError } from './component-queries.js';
import type { GroupKind } from './group.js';

export interface GroupView {
  kind: GroupKind;
  name: string;
  description: string | null;
  exclusiveGroup: string | null;
  tags: string[];
  /** Member xnames, sorted. */
  members: string[];
}

export interface GroupListFilter {
  /** Labels (groups) or names (partitions); any of them. */
  names?: string[];
  /** Any of these tags. */
  tags?: string[];
  /**
   * Groups only: keep the members that are also in this partition, or, for "NULL", the members
   * in no partition. An unknown partition is SMD's "no such partition".
   */
  partition?: string;
}

const LABEL = /^[-a-z0-9:._]+$/;

/** SMD's NormalizeGroupField + VerifyGroupField: lower-cased, then `^[-a-z0-9:._]+$`. */
export function isGroupField(value: string): boolean {
  return LABEL.test(value.toLowerCase());
}

/**
 * The label, tag or partition name lower-cased, or SmdRuleError with SMD's text for the field
 * ("Invalid group label.", "Invalid tag.", "Invalid partition name.").
 */
export function requireGroupField(value: string, what: 'group label' | 'tag' | 'partition name'): string {
  const lower = value.toLowerCase();
  if (!LABEL.test(lower)) throw new SmdRuleError(`Invalid ${what}.`);
  return lower;
}

/** The IDs that are not valid xnames, as given (SMD's PUT members reports them all). */
export function invalidXnames(ids: unknown[]): string[] {
  return ids.filter((id) => typeof id !== 'string' || !parseXname(id)).map(String);
}

async function partitionMemberFilter(ctx: ServiceContext, partition: string | undefined) {
  if (partition === undefined) return {};
  if (partition === 'NULL') return { component: { memberships: { none: { live: true, group: { kind: 'partition' } } } } };
  const name = requireGroupField(partition, 'partition name');
  const found = await ctx.db.group.findFirst({ where: { kind: 'partition', name, deletedAt: null }, select: { id: true } });
  if (!found) throw new SmdRuleError(FILTER_ERRORS.partition);
  return { component: { memberships: { some: { live: true, groupId: found.id } } } };
}

/** Live groups (or partitions) matching the filter, each with its members; sorted by name. */
export async function listGroups(ctx: ServiceContext, kind: GroupKind, filter: GroupListFilter = {}): Promise<GroupView[]> {
  const memberFilter = await partitionMemberFilter(ctx, kind === 'group' ? filter.partition : undefined);
  const names = filter.names?.length ? filter.names : undefined;
  const groups = await ctx.db.group.findMany({
    where: { kind, deletedAt: null, ...(names ? { name: { in: names } } : {}) },
    select: { id: true, name: true, description: true, exclusiveGroup: true, tags: true },
    orderBy: { name: 'asc' },
  });
  const wanted = filter.tags?.length ? groups.filter((g) => (g.tags as string[]).some((tag) => filter.tags?.includes(tag))) : groups;
  if (wanted.length === 0) return [];
  const members = await ctx.db.groupMember.findMany({
    where: { live: true, componentId: { not: null }, groupId: { in: wanted.map((g) => g.id) }, ...memberFilter },
    select: { groupId: true, component: { select: { xname: true } } },
  });
  const xnamesOf = new Map<string, string[]>(wanted.map((g) => [g.id, []]));
  for (const m of members) if (m.component) xnamesOf.get(m.groupId)?.push(m.component.xname);
  return wanted.map((g) => ({
    kind,
    name: g.name,
    description: g.description,
    exclusiveGroup: g.exclusiveGroup,
    tags: Array.isArray(g.tags) ? (g.tags as string[]) : [],
    members: (xnamesOf.get(g.id) ?? []).sort(),
  }));
}

/** One live group or partition by name (lower-cased), or null. */
export async function getGroup(ctx: ServiceContext, kind: GroupKind, name: string, partition?: string): Promise<GroupView | null> {
  const [group] = await listGroups(ctx, kind, { names: [name.toLowerCase()], partition });
  return group ?? null;
}

/** The names of the live groups (labels) or partitions, sorted. */
export async function listGroupNames(ctx: ServiceContext, kind: GroupKind): Promise<string[]> {
  const rows = await ctx.db.group.findMany({ where: { kind, deletedAt: null }, select: { name: true }, orderBy: { name: 'asc' } });
  return rows.map((row) => row.name);
}
