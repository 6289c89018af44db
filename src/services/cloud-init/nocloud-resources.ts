// Reads behind the cloud-init resource API (metadata-service's generated collections): the
// cluster defaults, group templates with their group, instance info and WireGuard peers with
// their node's xname. A resource is found by its row id or by its name (group label, xname).
import type { Prisma } from '../../db/client.js';
import { normalizeXname } from '../../domain/xname.js';
import type { ServiceContext } from '../core/context.js';
import { CLUSTER_DEFAULTS_ID } from './cloud-init.js';

/** How a resource is addressed: its row id, or its name. */
export type ResourceRef = { id: string } | { name: string };

const GROUP_INCLUDE = { group: { select: { name: true, description: true } } } as const;
const NODE_INCLUDE = { component: { select: { xname: true } } } as const;

export type ClusterDefaultsRow = Prisma.ClusterDefaultsGetPayload<object>;
export type GroupTemplateRow = Prisma.GroupTemplateGetPayload<{ include: typeof GROUP_INCLUDE }>;
export type InstanceInfoRow = Prisma.InstanceInfoGetPayload<{ include: typeof NODE_INCLUDE }>;
export type WireguardPeerRow = Prisma.WireguardPeerGetPayload<{ include: typeof NODE_INCLUDE }>;

export async function listClusterDefaults(ctx: ServiceContext): Promise<ClusterDefaultsRow[]> {
  const row = await ctx.db.clusterDefaults.findUnique({ where: { id: CLUSTER_DEFAULTS_ID } });
  return row ? [row] : [];
}

/** The one cluster-defaults row answers to its id ("default") and to any name. */
export async function findClusterDefaults(ctx: ServiceContext, ref: ResourceRef): Promise<ClusterDefaultsRow | null> {
  if ('id' in ref && ref.id !== CLUSTER_DEFAULTS_ID) return null;
  return ctx.db.clusterDefaults.findUnique({ where: { id: CLUSTER_DEFAULTS_ID } });
}

const liveGroup = { group: { deletedAt: null, kind: 'group' } } as const;

export function listGroupTemplates(ctx: ServiceContext): Promise<GroupTemplateRow[]> {
  return ctx.db.groupTemplate.findMany({ where: liveGroup, include: GROUP_INCLUDE, orderBy: { group: { name: 'asc' } } });
}

export function findGroupTemplate(ctx: ServiceContext, ref: ResourceRef): Promise<GroupTemplateRow | null> {
  const where = 'id' in ref ? { id: ref.id } : { group: { ...liveGroup.group, name: ref.name.toLowerCase() } };
  return ctx.db.groupTemplate.findFirst({ where: { ...liveGroup, ...where }, include: GROUP_INCLUDE });
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
