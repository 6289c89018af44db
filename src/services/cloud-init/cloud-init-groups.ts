// Cloud-init Groups (the metadata-service's Group resource: template, metaData, description)
// are known by name: metadata-service joins them to a node's SMD memberships by group label,
// and either may be written first. A group's GroupTemplate row hangs on a Group row of that
// name: the live SMD group when there is one; else a row of kind "cloud-init" that holds it
// until SMD has the group (it is then adopted, see adoptCloudInitGroup); or, once its SMD group
// was deleted, that deleted row. Reads therefore resolve a name, never a group id.
import type { Db, Prisma, Tx } from '../../db/client.js';
import type { Change } from '../core/change-log.js';
import { softDeleted } from '../core/lookup.js';
import type { WriteResult } from '../core/transaction.js';

/** The kind of a Group row that only holds a cloud-init Group whose SMD group does not exist (yet). */
export const CLOUD_INIT_GROUP_KIND = 'cloud-init';

/** The kinds of Group row a cloud-init Group hangs on. */
export const HOLDER_KINDS = ['group', CLOUD_INIT_GROUP_KIND];

const HOLDER = { group: { select: { id: true, name: true, kind: true, description: true, deletedAt: true } } } as const;

export type CloudInitGroupRow = Prisma.GroupTemplateGetPayload<{ include: typeof HOLDER }>;

type GroupRow = Prisma.GroupGetPayload<object>;

/** What decides which of a name's cloud-init Groups is in force (a stored row, or one the NoCloud identity statement read). */
export interface CloudInitCandidate {
  updatedAt: Date;
  group: { name: string; kind: string; deletedAt: Date | string | null };
}

/** A live holder first (the SMD group, then a cloud-init row), then the most recently written. */
function rank(row: CloudInitCandidate): [number, number] {
  const live = row.group.deletedAt === null;
  return [live && row.group.kind === 'group' ? 0 : live ? 1 : 2, -row.updatedAt.getTime()];
}

function byRank(a: CloudInitCandidate, b: CloudInitCandidate): number {
  const [ra, rb] = [rank(a), rank(b)];
  return ra[0] - rb[0] || ra[1] - rb[1];
}

/** The cloud-init Group in force for each name among `rows` (every holder of a name, of the holder kinds). */
export function inForceByName<R extends CloudInitCandidate>(rows: readonly R[]): Map<string, R> {
  const found = new Map<string, R>();
  for (const row of [...rows].sort(byRank)) if (!found.has(row.group.name)) found.set(row.group.name, row);
  return found;
}

function allFor(db: Db | Tx, names: string[]): Promise<CloudInitGroupRow[]> {
  return db.groupTemplate.findMany({ where: { group: { name: { in: names }, kind: { in: HOLDER_KINDS } } }, include: HOLDER });
}

/** The cloud-init Group in force for each name that has one. */
export async function cloudInitGroupsByName(db: Db | Tx, names: string[]): Promise<Map<string, CloudInitGroupRow>> {
  const wanted = [...new Set(names)];
  if (wanted.length === 0) return new Map();
  return inForceByName(await allFor(db, wanted));
}

export async function findCloudInitGroup(db: Db | Tx, name: string): Promise<CloudInitGroupRow | null> {
  return (await cloudInitGroupsByName(db, [name])).get(name) ?? null;
}

/** Every cloud-init Group, by name. */
export async function listCloudInitGroups(db: Db | Tx): Promise<CloudInitGroupRow[]> {
  const rows = await db.groupTemplate.findMany({ where: { group: { kind: { in: HOLDER_KINDS } } }, include: HOLDER });
  return [...inForceByName(rows).values()].sort((a, b) => a.group.name.localeCompare(b.group.name));
}

/** Retires a cloud-init holder row the group no longer needs. */
export async function retireHolder(tx: Tx, group: { id: string; kind: string; deletedAt: Date | null }): Promise<Change[]> {
  if (group.kind !== CLOUD_INIT_GROUP_KIND || group.deletedAt) return [];
  const before = await tx.group.findUniqueOrThrow({ where: { id: group.id } });
  const after = await tx.group.update({ where: { id: group.id }, data: { ...softDeleted(), revision: { increment: 1 } } });
  return [{ entityType: 'Group', entityId: after.id, action: 'deleted', before, after }];
}

/**
 * Called when an SMD group comes to life (created or restored): a cloud-init Group of its name
 * written before now hangs on it, so it applies to the group's members and GraphQL shows it
 * as the group's template. The group takes the cloud-init Group's description when it has none.
 */
export async function adoptCloudInitGroup(tx: Tx, group: GroupRow): Promise<WriteResult<GroupRow>> {
  const pending = group.kind === 'group' && !group.deletedAt ? await findCloudInitGroup(tx, group.name) : null;
  if (!pending || pending.groupId === group.id) return { result: group, changes: [] };
  const moved = await tx.groupTemplate.update({ where: { id: pending.id }, data: { groupId: group.id, revision: { increment: 1 } } });
  const { group: _holder, ...before } = pending;
  const changes: Change[] = [{ entityType: 'GroupTemplate', entityId: moved.id, action: 'updated', before, after: moved }];
  let result = group;
  if (!group.description && pending.group.description) {
    result = await tx.group.update({
      where: { id: group.id },
      data: { description: pending.group.description, revision: { increment: 1 } },
    });
    changes.push({ entityType: 'Group', entityId: group.id, action: 'updated', before: group, after: result });
  }
  changes.push(...(await retireHolder(tx, pending.group)));
  return { result, changes };
}
