// Reads behind the cloud-init resource API (metadata-service's generated collections): the
// cluster defaults with their resource name, cloud-init Groups (group templates, by group
// name), instance info and WireGuard peers with their node's xname. A resource is found by its
// row id or by its name (group label, xname).
import type { Prisma } from '../../db/client.js';
import { normalizeXname } from '../../domain/xname.js';
import type { ServiceContext } from '../core/context.js';
import { CLUSTER_DEFAULTS_ID, CLUSTER_DEFAULTS_UID } from './cloud-init.js';
import { type CloudInitGroupRow, findCloudInitGroup, listCloudInitGroups } from './cloud-init-groups.js';

/** How a resource is addressed: its row id, or its name. */
export type ResourceRef = { id: string } | { name: string };

const NODE_INCLUDE = { component: { select: { xname: true } } } as const;

/** The cluster defaults and the name their resource was given ("default" when none). */
export type ClusterDefaultsRow = Prisma.ClusterDefaultsGetPayload<object> & { name: string };
export type GroupTemplateRow = CloudInitGroupRow;
export type InstanceInfoRow = Prisma.InstanceInfoGetPayload<{ include: typeof NODE_INCLUDE }>;
export type WireguardPeerRow = Prisma.WireguardPeerGetPayload<{ include: typeof NODE_INCLUDE }>;

async function readClusterDefaults(ctx: ServiceContext): Promise<ClusterDefaultsRow | null> {
  const [row, named] = await Promise.all([
    ctx.db.clusterDefaults.findUnique({ where: { id: CLUSTER_DEFAULTS_ID } }),
    ctx.db.fabricaResource.findUnique({ where: { uid: CLUSTER_DEFAULTS_UID }, select: { name: true } }),
  ]);
  return row ? { ...row, name: named?.name ?? CLUSTER_DEFAULTS_ID } : null;
}

export async function listClusterDefaults(ctx: ServiceContext): Promise<ClusterDefaultsRow[]> {
  const row = await readClusterDefaults(ctx);
  return row ? [row] : [];
}

/** The one cluster-defaults row answers to its id ("default") and to any name. */
export async function findClusterDefaults(ctx: ServiceContext, ref: ResourceRef): Promise<ClusterDefaultsRow | null> {
  if ('id' in ref && ref.id !== CLUSTER_DEFAULTS_ID) return null;
  return readClusterDefaults(ctx);
}

export function listGroupTemplates(ctx: ServiceContext): Promise<GroupTemplateRow[]> {
  return listCloudInitGroups(ctx.db);
}

/** The cloud-init Group in force by name, or by row id when that row is the one in force for its name. */
export async function findGroupTemplate(ctx: ServiceContext, ref: ResourceRef): Promise<GroupTemplateRow | null> {
  if ('name' in ref) return findCloudInitGroup(ctx.db, ref.name.toLowerCase());
  const row = await ctx.db.groupTemplate.findUnique({ where: { id: ref.id }, select: { group: { select: { name: true } } } });
  const current = row ? await findCloudInitGroup(ctx.db, row.group.name) : null;
  return current?.id === ref.id ? current : null;
}

const liveNode = { component: { deletedAt: null } } as const;

export function listInstanceInfos(ctx: ServiceContext): Promise<InstanceInfoRow[]> {
  return ctx.db.instanceInfo.findMany({ where: liveNode, include: NODE_INCLUDE, orderBy: { component: { xname: 'asc' } } });
}

export function findInstanceInfo(ctx: ServiceContext, ref: ResourceRef): Promise<InstanceInfoRow | null> {
  const where = 'id' in ref ? { id: ref.id } : { component: { deletedAt: null, xname: normalizeXname(ref.name) } };
  return ctx.db.instanceInfo.findFirst({ where: { ...liveNode, ...where }, include: NODE_INCLUDE });
}

export function listWireguardPeers(ctx: ServiceContext): Promise<WireguardPeerRow[]> {
  return ctx.db.wireguardPeer.findMany({ where: liveNode, include: NODE_INCLUDE, orderBy: { component: { xname: 'asc' } } });
}

export function findWireguardPeer(ctx: ServiceContext, ref: ResourceRef): Promise<WireguardPeerRow | null> {
  const where = 'id' in ref ? { id: ref.id } : { component: { deletedAt: null, xname: normalizeXname(ref.name) } };
  return ctx.db.wireguardPeer.findFirst({ where: { ...liveNode, ...where }, include: NODE_INCLUDE });
}
