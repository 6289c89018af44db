// SMD Defaults/NodeMaps: the NID, Role and SubRole a node gets when it is created without them
// (upsertSmdComponents reads them). Validation messages are SMD's (sm.NewNodeMap).
// Both engines' generated clients take the same runtime's DbNull.
import { DbNull } from '@prisma/client/runtime/client';
import type { Prisma } from '../../db/client.js';
import { componentRoles, componentSubRoles } from '../../domain/site-roles.js';
import { normalizeXname, parseXname } from '../../domain/xname.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import { SmdRuleError } from './component-queries.js';
import { MAX_NID, nidNumber, withNumberNid } from './nid.js';

/** A node map as the services answer it: its BIGINT NID read back as a number. */
export type NodeMapRow = Omit<Prisma.NodeMapGetPayload<object>, 'nid'> & { nid: number };
const rowOf = (row: Prisma.NodeMapGetPayload<object>): NodeMapRow => withNumberNid(row);

/** A node map as given: an xname, a NID > 0, optional Role, SubRole and NodeInfo (any JSON). */
export interface NodeMapInput {
  xname: string;
  nid: number;
  role?: string | null;
  subRole?: string | null;
  nodeInfo?: unknown;
}

const ENTITY = 'NodeMap';

const canonical = (values: readonly string[], value: string) => values.find((v) => v.toLowerCase() === value.toLowerCase());

interface CheckedMap {
  xname: string;
  nid: number;
  role: string | null;
  subRole: string | null;
  nodeInfo: Prisma.InputJsonValue | undefined;
}

/** SMD's NewNodeMap; the message of the SmdRuleError is SMD's, without its per-endpoint prefix. */
function checkMap(input: NodeMapInput, field: string): CheckedMap {
  const parsed = parseXname(String(input.xname ?? ''));
  if (!parsed || (parsed.type !== 'Node' && parsed.type !== 'VirtualNode')) {
    throw new SmdRuleError(`xname ID '${input.xname ?? ''}' is invalid or not a node`, 'BAD_USER_INPUT', field);
  }
  const nid = input.nid;
  if (!Number.isInteger(nid) || nid <= 0 || nid > MAX_NID) throw new SmdRuleError(`NID '${nid}' is out of range`, 'BAD_USER_INPUT', field);
  let role: string | null = null;
  if (input.role) {
    role = canonical(componentRoles(), input.role) ?? null;
    if (!role) throw new SmdRuleError(`Role '${input.role}' is not valid.`, 'BAD_USER_INPUT', field);
  }
  let subRole: string | null = null;
  if (input.subRole) {
    subRole = canonical(componentSubRoles(), input.subRole) ?? null;
    if (!subRole) throw new SmdRuleError(`SubRole '${input.subRole}' is not valid.`, 'BAD_USER_INPUT', field);
  }
  const nodeInfo = input.nodeInfo === undefined || input.nodeInfo === null ? undefined : (input.nodeInfo as Prisma.InputJsonValue);
  return { xname: parsed.xname, nid, role, subRole, nodeInfo };
}

const NID_TAKEN = (nid: number, xname: string) => new SmdRuleError(`NID ${nid} is already mapped to ${xname}`, 'CONFLICT', 'nid');

/**
 * Creates or replaces node maps by xname; all or nothing. A NID held by another xname (in the
 * store or earlier in the list) is a CONFLICT; a repeated xname takes its last entry, as SMD's
 * upserts do. Invalid entries throw SmdRuleError with field `nodeMaps.<i>`.
 */
export async function upsertNodeMaps(ctx: ServiceContext, inputs: NodeMapInput[]): Promise<NodeMapRow[]> {
  const checked = inputs.map((input, i) => checkMap(input, `nodeMaps.${i}`));
  const byXname = new Map<string, CheckedMap>();
  for (const map of checked) byXname.set(map.xname, map);
  const maps = [...byXname.values()];
  const nidOwner = new Map<number, string>();
  for (const map of maps) {
    const owner = nidOwner.get(map.nid);
    if (owner) throw NID_TAKEN(map.nid, owner);
    nidOwner.set(map.nid, map.xname);
  }
  if (maps.length === 0) return [];
  return write(ctx, async (tx) => {
    const xnames = maps.map((m) => m.xname);
    const [befores, holders] = await Promise.all([
      tx.nodeMap.findMany({ where: { xname: { in: xnames } } }).then((rows) => rows.map(rowOf)),
      tx.nodeMap.findMany({ where: { nid: { in: maps.map((m) => m.nid) } }, select: { xname: true, nid: true } }),
    ]);
    // A NID may only come from a map this request renumbers or replaces.
    const holder = holders.find((h) => !byXname.has(h.xname));
    if (holder) throw NID_TAKEN(nidNumber(holder.nid), holder.xname);
    const beforeOf = new Map(befores.map((row) => [row.xname, row]));
    const changes: Change[] = [];
    const fresh = maps.filter((m) => !beforeOf.has(m.xname));
    const moved = maps.filter((m) => beforeOf.has(m.xname));
    // Free the NIDs of maps being renumbered first, so NIDs can move between them.
    const renumbered = moved.filter((m) => beforeOf.get(m.xname)?.nid !== m.nid);
    if (renumbered.length > 1) {
      for (const [i, m] of renumbered.entries()) await tx.nodeMap.update({ where: { xname: m.xname }, data: { nid: -1 - i } });
    }
    for (const m of moved) {
      const before = beforeOf.get(m.xname) as NodeMapRow;
      const after = rowOf(
        await tx.nodeMap.update({
          where: { xname: m.xname },
          data: { nid: m.nid, role: m.role, subRole: m.subRole, nodeInfo: m.nodeInfo ?? DbNull },
        }),
      );
      changes.push({ entityType: ENTITY, entityId: after.id, action: 'updated', before, after });
    }
    if (fresh.length) {
      const rows = await tx.nodeMap.createManyAndReturn({
        data: fresh.map((m) => ({
          xname: m.xname,
          nid: m.nid,
          role: m.role,
          subRole: m.subRole,
          ...(m.nodeInfo === undefined ? {} : { nodeInfo: m.nodeInfo }),
        })),
      });
      for (const row of rows) changes.push({ entityType: ENTITY, entityId: row.id, action: 'created', after: row });
    }
    const afters = (await tx.nodeMap.findMany({ where: { xname: { in: xnames } } })).map(rowOf);
    return { result: afters, changes };
  });
}

export async function listNodeMaps(ctx: ServiceContext): Promise<NodeMapRow[]> {
  return (await ctx.db.nodeMap.findMany({ orderBy: { nid: 'asc' } })).map(rowOf);
}

/** The node map of an xname (normalised; an invalid xname simply has none). */
export async function getNodeMap(ctx: ServiceContext, xname: string): Promise<NodeMapRow | null> {
  const row = await ctx.db.nodeMap.findUnique({ where: { xname: normalizeXname(xname) } });
  return row && rowOf(row);
}

/** Deletes one node map; false when there is none. An invalid xname is SMD's "invalid xname". */
export async function deleteNodeMap(ctx: ServiceContext, raw: string): Promise<boolean> {
  const parsed = parseXname(raw);
  if (!parsed) throw new SmdRuleError('invalid xname');
  return write(ctx, async (tx) => {
    const before = await tx.nodeMap.findUnique({ where: { xname: parsed.xname } });
    if (!before) return { result: false, changes: [] };
    await tx.nodeMap.delete({ where: { id: before.id } });
    return { result: true, changes: [{ entityType: ENTITY, entityId: before.id, action: 'deleted', before }] };
  });
}

/** Deletes every node map; answers with how many. */
export async function deleteAllNodeMaps(ctx: ServiceContext): Promise<number> {
  return write(ctx, async (tx) => {
    const befores = await tx.nodeMap.findMany();
    if (befores.length) await tx.nodeMap.deleteMany({ where: { id: { in: befores.map((b) => b.id) } } });
    return {
      result: befores.length,
      changes: befores.map((before): Change => ({ entityType: ENTITY, entityId: before.id, action: 'deleted', before })),
    };
  });
}
