// SMD groups and partitions and their members (xname positions). A member row carries the
// group's exclusive-group name, or `partition: true`, so unique indexes refuse a position in
// two groups of one exclusive set or in two partitions; the checks here come first to name
// the position and the other group. A member row is live while its group and its component
// both are: deleting either suspends it, restoring brings it back.
import { randomUUID } from 'node:crypto';
import { insertRows } from '../../db/bulk-insert.js';
import { engineOf, type Prisma, type Tx } from '../../db/client.js';
import { findManyIn } from '../../db/where-in.js';
import { ConflictError, InventoryError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { groupBy } from '../../domain/group-by.js';
import { optionalProperties } from '../../domain/property-keys.js';
import { optionalLabel, optionalTags, requireLabel, requirePartitionName, requireXname } from '../../domain/smd-names.js';
import { stableJson } from '../../domain/stable-json.js';
import { defined, oneOf, optionalText, refuseRepeats, requireItems, requireSomeChange } from '../../domain/validate.js';
import { GROUP_KINDS } from '../../domain/vocabulary.js';
// A cloud-init Group written before its SMD group applies once the group exists.
import { adoptCloudInitGroup } from '../cloud-init/cloud-init-groups.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { findAny, restored, softDeleted } from '../core/lookup.js';
import { isUniqueViolation, type WriteResult, write } from '../core/transaction.js';

export type GroupKind = (typeof GROUP_KINDS)[number];

/** How a group is addressed: its kind ("group" by default) and its label or partition name. */
export interface GroupKey {
  kind?: string | null;
  name: string;
}

export interface GroupFields {
  description?: string | null;
  exclusiveGroup?: string | null;
  tags?: string[] | null;
  properties?: unknown;
}

export interface GroupInput extends GroupKey, GroupFields {
  /** Member xnames; each must be a live component. */
  members?: string[] | null;
}

type GroupRow = Prisma.GroupGetPayload<object>;

interface Member {
  id: string;
  xname: string;
  field: string;
}

/** A member row's identity and the denormalised keys the unique indexes check. */
interface MemberKey {
  groupId: string;
  componentId: string;
  exclusiveGroup: string | null;
  partition: boolean | null;
}

const ENTITY = 'Group';

export function checkGroupKey(key: GroupKey, field = 'name'): { kind: GroupKind; name: string } {
  const kind = key.kind == null ? 'group' : oneOf(key.kind, GROUP_KINDS, 'kind');
  const name = kind === 'partition' ? requirePartitionName(key.name, field) : requireLabel(key.name, field);
  return { kind, name };
}

function checkFields(input: GroupFields, kind: GroupKind) {
  const exclusiveGroup = optionalLabel(input.exclusiveGroup, 'exclusiveGroup');
  if (kind === 'partition' && exclusiveGroup) throw new ValidationError('exclusiveGroup', 'partitions have no exclusive group');
  return defined({
    description: optionalText(input.description, 'description', 4000),
    exclusiveGroup,
    tags: input.tags === null ? [] : optionalTags(input.tags, 'tags'),
    properties: optionalProperties(input.properties) as Prisma.InputJsonObject | undefined,
  });
}

/** Normalised member xnames; a repeated one is a conflict, as in SMD. */
function checkMemberXnames(value: unknown, field = 'members'): Array<{ xname: string; field: string }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError(field, 'must be a list of xnames');
  const members = value.map((raw, i) => ({ xname: requireXname(raw, `${field}.${i}`).xname, field: `${field}.${i}` }));
  refuseRepeats(
    members,
    (m) => m.xname,
    (m) => m.field,
  );
  return members;
}

async function findMembers(tx: Tx, wanted: Array<{ xname: string; field: string }>): Promise<Member[]> {
  if (wanted.length === 0) return [];
  const xnames = wanted.map((w) => w.xname);
  const rows = await findManyIn(tx, 'Component', 'xname', xnames, { select: ['id', 'xname'], live: true });
  const idOf = new Map(rows.map((row) => [row.xname, row.id]));
  return wanted.map(({ xname, field }) => {
    const id = idOf.get(xname);
    if (!id) throw new ValidationError(field, 'linked component does not exist');
    return { id, xname, field };
  });
}

/** The live group or partition with this key; NOT_FOUND naming `field` otherwise. */
export async function findLiveGroup(tx: Tx, key: { kind: GroupKind; name: string }, field = 'name'): Promise<GroupRow> {
  const group = await tx.group.findFirst({ where: { kind: key.kind, name: key.name, deletedAt: null } });
  if (!group) throw new NotFoundError(key.kind === 'partition' ? 'Partition' : 'Group', key.name, field);
  return group;
}

async function refuseDuplicateName(tx: Tx, kind: GroupKind, name: string) {
  const existing = await tx.group.findFirst({ where: { kind, name, deletedAt: null }, select: { id: true } });
  if (existing) throw new ConflictError('name', `a live ${kind} named ${name} already exists`);
}

/** The denormalised keys every member row of the group carries. */
function membershipKeys(group: GroupRow): Pick<MemberKey, 'exclusiveGroup' | 'partition'> {
  return { exclusiveGroup: group.kind === 'group' ? group.exclusiveGroup : null, partition: group.kind === 'partition' ? true : null };
}

function memberKey(group: GroupRow, componentId: string): MemberKey {
  return { groupId: group.id, componentId, ...membershipKeys(group) };
}

/**
 * Refuses member rows that would put a position in two groups of one exclusive set or in two
 * partitions, against live rows and within the candidates themselves.
 */
async function refuseClashes(tx: Tx, candidates: Array<MemberKey & { xname: string; field: string; groupName: string }>) {
  const exclusive = candidates.filter((c) => c.exclusiveGroup);
  const partitioned = candidates.filter((c) => c.partition);
  if (exclusive.length === 0 && partitioned.length === 0) return;
  // Every live member row of the candidates' positions; which of them clash is decided below.
  const positions = [...new Set([...exclusive, ...partitioned].map((c) => c.componentId))];
  const live = (
    await findManyIn(tx, 'GroupMember', 'componentId', positions, {
      select: ['groupId', 'componentId', 'exclusiveGroup', 'partition', 'live'],
    })
  ).filter((row) => row.live);
  const groupIds = [...new Set(live.map((row) => row.groupId))];
  const groupNames = new Map((await findManyIn(tx, 'Group', 'id', groupIds, { select: ['id', 'name'] })).map((g) => [g.id, g.name]));
  // Holders by position: a whole site's memberships are checked at once (an import), so each
  // candidate looks only at its own position's rows.
  type Holder = Pick<MemberKey, 'groupId' | 'exclusiveGroup' | 'partition'> & { componentId: string | null; groupName: string };
  const holders = groupBy<Holder, string | null>(
    [...live.map((row): Holder => ({ ...row, groupName: groupNames.get(row.groupId) ?? '' })), ...candidates],
    (holder) => holder.componentId,
  );
  for (const candidate of candidates) {
    const clash = holders
      .get(candidate.componentId)
      ?.find(
        (h) =>
          h.groupId !== candidate.groupId &&
          ((candidate.exclusiveGroup && h.exclusiveGroup === candidate.exclusiveGroup) || (candidate.partition && h.partition)),
      );
    if (!clash) continue;
    throw new ConflictError(
      candidate.field,
      candidate.partition
        ? `${candidate.xname} is already a member of partition ${clash.groupName}: a component may be in one partition only`
        : `${candidate.xname} is already a member of group ${clash.groupName} in exclusive group ${candidate.exclusiveGroup}`,
    );
  }
}

/**
 * Runs a member write, turning a unique-index refusal into a conflict naming the members
 * concerned. The checks above come first; this only fires when a concurrent write won.
 */
async function guardMemberWrite<T>(members: Array<{ xname: string; field: string }>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const listed =
      members
        .slice(0, 10)
        .map((m) => m.xname)
        .join(', ') + (members.length > 10 ? ' …' : '');
    const who = members.length === 1 ? members[0].xname : members.length ? `one of ${listed}` : 'a member';
    throw new ConflictError(
      members.length === 1 ? members[0].field : 'members',
      `${who} is already in another group of the same exclusive group, or in another partition`,
    );
  }
}

/** Makes the members live in the group: suspended rows come back, new rows are created. */
async function attach(tx: Tx, group: GroupRow, members: Member[]) {
  if (members.length === 0) return;
  await refuseClashes(
    tx,
    members.map((m) => ({ ...memberKey(group, m.id), xname: m.xname, field: m.field, groupName: group.name })),
  );
  const ids = members.map((m) => m.id);
  const existing = new Set(
    (await findManyIn(tx, 'GroupMember', 'componentId', ids, { select: ['groupId', 'componentId'] }))
      .filter((row) => row.groupId === group.id)
      .map((row) => row.componentId),
  );
  await guardMemberWrite(members, async () => {
    if (existing.size) {
      await tx.groupMember.updateMany({
        where: { groupId: group.id, componentId: { in: [...existing] as string[] } },
        data: { ...membershipKeys(group), live: true },
      });
    }
    const fresh = members.filter((m) => !existing.has(m.id));
    // A whole site's memberships come in one write (an import): multi-row INSERTs, not createMany.
    const rows = fresh.map((m) => ({ id: randomUUID(), ...memberKey(group, m.id), live: true }));
    if (rows.length) await insertRows(tx, engineOf(tx), 'GroupMember', rows, new Date());
  });
}

async function liveMembers(tx: Tx, groupId: string) {
  return tx.groupMember.findMany({
    where: { groupId, live: true, componentId: { not: null } },
    select: { id: true, componentId: true, component: { select: { xname: true } } },
    orderBy: { component: { xname: 'asc' } },
  });
}

function memberChanges(
  group: GroupRow,
  action: 'member_added' | 'member_removed',
  members: Array<{ id: string; xname: string }>,
): Change[] {
  return members.map((m) => {
    const member = { xname: m.xname, componentId: m.id };
    return { entityType: ENTITY, entityId: group.id, action, ...(action === 'member_added' ? { after: member } : { before: member }) };
  });
}

function touch(tx: Tx, groupId: string) {
  return tx.group.update({ where: { id: groupId }, data: { revision: { increment: 1 } } });
}

export async function createGroup(ctx: ServiceContext, input: GroupInput): Promise<GroupRow> {
  const { kind, name } = checkGroupKey(input);
  const fields = checkFields(input, kind);
  const wanted = checkMemberXnames(input.members);
  return write(ctx, (tx) => insertGroup(tx, kind, name, fields, wanted));
}

/** createGroup in the caller's transaction (for writes that span several services). */
export async function createGroupIn(tx: Tx, input: GroupInput): Promise<WriteResult<GroupRow>> {
  const { kind, name } = checkGroupKey(input);
  return insertGroup(tx, kind, name, checkFields(input, kind), checkMemberXnames(input.members));
}

async function insertGroup(
  tx: Tx,
  kind: GroupKind,
  name: string,
  fields: ReturnType<typeof checkFields>,
  wanted: Array<{ xname: string; field: string }>,
) {
  await refuseDuplicateName(tx, kind, name);
  const members = await findMembers(tx, wanted);
  const group = await tx.group.create({ data: { tags: [], properties: {}, ...fields, kind, name } });
  await attach(tx, group, members);
  const adopted = await adoptCloudInitGroup(tx, group);
  const changes: Change[] = [
    { entityType: ENTITY, entityId: group.id, action: 'created', after: { ...group, members: members.map((m) => m.xname) } },
    ...adopted.changes,
  ];
  return { result: adopted.result, changes };
}

/** Changes description, tags or (groups only) the exclusive group; the members' key follows. */
export async function updateGroup(ctx: ServiceContext, key: GroupKey, input: GroupFields): Promise<GroupRow> {
  const { kind, name } = checkGroupKey(key);
  const fields = checkFields(input, kind);
  requireSomeChange(fields);
  return write(ctx, (tx) => changeGroup(tx, kind, name, fields));
}

/** updateGroup in the caller's transaction. */
export async function updateGroupIn(tx: Tx, key: GroupKey, input: GroupFields): Promise<WriteResult<GroupRow>> {
  const { kind, name } = checkGroupKey(key);
  const fields = checkFields(input, kind);
  requireSomeChange(fields);
  return changeGroup(tx, kind, name, fields);
}

async function changeGroup(tx: Tx, kind: GroupKind, name: string, fields: ReturnType<typeof checkFields>): Promise<WriteResult<GroupRow>> {
  const before = await findLiveGroup(tx, { kind, name });
  if (fields.exclusiveGroup !== undefined && fields.exclusiveGroup !== before.exclusiveGroup) {
    const regrouped = { ...before, exclusiveGroup: fields.exclusiveGroup };
    const members = (await liveMembers(tx, before.id)).map((m) => ({
      ...memberKey(regrouped, m.componentId as string),
      xname: m.component?.xname ?? '',
      field: 'exclusiveGroup',
      groupName: name,
    }));
    await refuseClashes(tx, members);
    await guardMemberWrite(members, () =>
      tx.groupMember.updateMany({ where: { groupId: before.id }, data: { exclusiveGroup: fields.exclusiveGroup } }),
    );
  }
  const after = await tx.group.update({ where: { id: before.id }, data: { ...fields, revision: { increment: 1 } } });
  return { result: after, changes: [{ entityType: ENTITY, entityId: after.id, action: 'updated', before, after }] };
}

/** Adds members; one already in the group, or a clash, refuses them all. */
export async function addGroupMembers(ctx: ServiceContext, key: GroupKey, xnames: string[]): Promise<GroupRow> {
  const { kind, name } = checkGroupKey(key);
  const wanted = checkMemberXnames(requireItems(xnames, 'members'));
  return write(ctx, async (tx) => {
    const group = await findLiveGroup(tx, { kind, name });
    const members = await findMembers(tx, wanted);
    const already = new Set((await liveMembers(tx, group.id)).map((m) => m.componentId));
    const duplicate = members.find((m) => already.has(m.id));
    if (duplicate) throw new ConflictError(duplicate.field, `${duplicate.xname} is already a member of ${kind} ${name}`);
    await attach(tx, group, members);
    return { result: await touch(tx, group.id), changes: memberChanges(group, 'member_added', members) };
  });
}

export async function removeGroupMember(ctx: ServiceContext, key: GroupKey, xname: string): Promise<GroupRow> {
  const { kind, name } = checkGroupKey(key);
  const member = requireXname(xname, 'xname').xname;
  return write(ctx, async (tx) => {
    const group = await findLiveGroup(tx, { kind, name });
    const row = await tx.groupMember.findFirst({ where: { groupId: group.id, live: true, component: { xname: member, deletedAt: null } } });
    if (!row?.componentId) throw new InventoryError('NOT_FOUND', `${kind} ${name} has no member ${member}`, 'xname');
    await tx.groupMember.delete({ where: { id: row.id } });
    return { result: await touch(tx, group.id), changes: memberChanges(group, 'member_removed', [{ id: row.componentId, xname: member }]) };
  });
}

/** Replaces the member list: members not listed leave, listed ones join (OpenCHAMI PUT members). */
export async function setGroupMembers(ctx: ServiceContext, key: GroupKey, xnames: string[]): Promise<GroupRow> {
  const { kind, name } = checkGroupKey(key);
  const wanted = checkMemberXnames(xnames);
  return write(ctx, (tx) => replaceMembers(tx, kind, name, wanted));
}

/** setGroupMembers in the caller's transaction. */
export async function setGroupMembersIn(tx: Tx, key: GroupKey, xnames: string[]): Promise<WriteResult<GroupRow>> {
  const { kind, name } = checkGroupKey(key);
  return replaceMembers(tx, kind, name, checkMemberXnames(xnames));
}

/**
 * Creates the group, or gives the live one the fields given that differ and (when `members`
 * is given) exactly those members; nothing is written when it already matches (imports).
 */
export async function syncGroupIn(tx: Tx, input: GroupInput): Promise<WriteResult<GroupRow>> {
  const { kind, name } = checkGroupKey(input);
  const fields = checkFields(input, kind);
  const wanted = checkMemberXnames(input.members);
  const before = await tx.group.findFirst({ where: { kind, name, deletedAt: null } });
  if (!before) return insertGroup(tx, kind, name, fields, wanted);
  const differing = Object.fromEntries(
    Object.entries(fields).filter(([field, value]) => stableJson(before[field as keyof GroupRow]) !== stableJson(value)),
  );
  const updated = Object.keys(differing).length ? await changeGroup(tx, kind, name, differing) : { result: before, changes: [] };
  if (input.members === undefined) return updated;
  const members = await replaceMembers(tx, kind, name, wanted);
  return { result: members.result, changes: [...updated.changes, ...members.changes] };
}

async function replaceMembers(
  tx: Tx,
  kind: GroupKind,
  name: string,
  wanted: Array<{ xname: string; field: string }>,
): Promise<WriteResult<GroupRow>> {
  const group = await findLiveGroup(tx, { kind, name });
  const members = await findMembers(tx, wanted);
  const current = await liveMembers(tx, group.id);
  const keep = new Set(members.map((m) => m.id));
  const leaving = current.filter((m) => !keep.has(m.componentId as string));
  const present = new Set(current.map((m) => m.componentId));
  const joining = members.filter((m) => !present.has(m.id));
  if (leaving.length) await tx.groupMember.deleteMany({ where: { id: { in: leaving.map((m) => m.id) } } });
  await attach(tx, group, joining);
  const left = leaving.map((m) => ({ id: m.componentId as string, xname: m.component?.xname ?? '' }));
  const changes = [...memberChanges(group, 'member_removed', left), ...memberChanges(group, 'member_added', joining)];
  return { result: changes.length ? await touch(tx, group.id) : group, changes };
}

/**
 * Makes the device a live member of exactly `groupIds` among the live groups of `kind` (a
 * node is in one cluster): it joins those it is not in and leaves the others of that kind.
 */
export async function setDeviceGroupsIn(tx: Tx, deviceId: string, kind: GroupKind, groupIds: string[]): Promise<WriteResult<string[]>> {
  const wanted = new Set(groupIds);
  const groups = await tx.group.findMany({ where: { id: { in: [...wanted] }, kind, deletedAt: null }, select: { id: true } });
  const missing = [...wanted].find((id) => !groups.some((g) => g.id === id));
  if (missing) throw new NotFoundError(kind === 'partition' ? 'Partition' : 'Group', missing, 'groupId');
  const rows = await tx.groupMember.findMany({ where: { deviceId, group: { kind } }, select: { id: true, groupId: true, live: true } });
  const leaving = rows.filter((row) => row.live && !wanted.has(row.groupId));
  const suspended = rows.filter((row) => !row.live && wanted.has(row.groupId));
  const fresh = [...wanted].filter((id) => !rows.some((row) => row.groupId === id));
  if (leaving.length) await tx.groupMember.deleteMany({ where: { id: { in: leaving.map((row) => row.id) } } });
  if (suspended.length) await tx.groupMember.updateMany({ where: { id: { in: suspended.map((row) => row.id) } }, data: { live: true } });
  if (fresh.length) await tx.groupMember.createMany({ data: fresh.map((groupId) => ({ groupId, deviceId, live: true })) });
  const member = { deviceId };
  const changes: Change[] = [
    ...leaving.map((row): Change => ({ entityType: ENTITY, entityId: row.groupId, action: 'member_removed', before: member })),
    ...[...suspended.map((row) => row.groupId), ...fresh].map(
      (groupId): Change => ({ entityType: ENTITY, entityId: groupId, action: 'member_added', after: member }),
    ),
  ];
  for (const groupId of new Set(changes.map((change) => change.entityId))) await touch(tx, groupId);
  return { result: [...wanted], changes };
}

/** Soft delete; its member rows are suspended so they no longer hold exclusive keys. */
export async function deleteGroup(ctx: ServiceContext, key: GroupKey): Promise<GroupRow> {
  const checked = checkGroupKey(key);
  return write(ctx, (tx) => deleteGroupIn(tx, checked));
}

/** deleteGroup in the caller's transaction. */
export async function deleteGroupIn(tx: Tx, key: GroupKey): Promise<WriteResult<GroupRow>> {
  const { kind, name } = checkGroupKey(key);
  const before = await findLiveGroup(tx, { kind, name });
  await tx.groupMember.updateMany({ where: { groupId: before.id, live: true }, data: { live: null } });
  const after = await tx.group.update({ where: { id: before.id }, data: { ...softDeleted(), revision: { increment: 1 } } });
  return { result: after, changes: [{ entityType: ENTITY, entityId: after.id, action: 'deleted', before, after }] };
}

/** Brings a deleted group back with its members that are still live components. */
export async function restoreGroup(ctx: ServiceContext, id: string): Promise<GroupRow> {
  return write(ctx, async (tx) => {
    const before = await findAny(tx, 'group', id);
    if (!before.deletedAt) return { result: before, changes: [] };
    await refuseDuplicateName(tx, before.kind as GroupKind, before.name);
    const after = await tx.group.update({ where: { id }, data: { ...restored(), revision: { increment: 1 } } });
    await reviveMemberships(tx, { groupId: id }, 'members');
    const adopted = await adoptCloudInitGroup(tx, after);
    return {
      result: adopted.result,
      changes: [{ entityType: ENTITY, entityId: id, action: 'restored', before, after }, ...adopted.changes],
    };
  });
}

/**
 * Makes suspended member rows live again where both their group and their component are
 * live; a restore that would now clash is refused, naming the position and the other group.
 */
export async function reviveMemberships(tx: Tx, where: { groupId: string } | { componentId: string }, field: string) {
  const rows = await tx.groupMember.findMany({
    where: {
      ...where,
      live: null,
      group: { deletedAt: null },
      OR: [{ component: { deletedAt: null } }, { componentId: null, device: { deletedAt: null } }],
    },
    select: {
      id: true,
      groupId: true,
      componentId: true,
      exclusiveGroup: true,
      partition: true,
      group: { select: { name: true } },
      component: { select: { xname: true } },
    },
  });
  if (rows.length === 0) return;
  const members = rows.flatMap((row) =>
    row.componentId && row.component
      ? [{ ...row, componentId: row.componentId, xname: row.component.xname, field, groupName: row.group.name }]
      : [],
  );
  await refuseClashes(tx, members);
  await guardMemberWrite(members, () =>
    tx.groupMember.updateMany({ where: { id: { in: rows.map((row) => row.id) } }, data: { live: true } }),
  );
}
