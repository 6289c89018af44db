// Reads of the reference-repository view: sites (site locations), their clusters and flavors
// (groups of those kinds named "<site>.<uid>") and the clusters' nodes as the repository's
// JSON, rebuilt from the devices, interfaces and child devices (codecs/reference/records.ts).
// The reference API and the reference export both read through here.

import type { JsonObject } from '../../codecs/reference/codec.js';
import {
  CLUSTER_KIND,
  clusterGroupName,
  type DeviceRow,
  DRIVE_TYPE,
  decodeFlavor,
  decodeNode,
  FLAVOR_KIND,
  flavorGroupName,
  GPU_TYPE,
  GRID_LOCATION_TYPE,
  type GroupRow,
  type LocationRow,
  nodeDeviceId,
  SITE_LOCATION_TYPE,
  siteUidOf,
} from '../../codecs/reference/records.js';
import type { Db } from '../../db/client.js';

export interface NodeView {
  device: DeviceRow;
  json: JsonObject;
}

/** Every live site, by uid. */
export async function listSites(db: Db): Promise<LocationRow[]> {
  const rows = await db.location.findMany({ where: { locationType: SITE_LOCATION_TYPE, deletedAt: null } });
  return rows.sort((a, b) => siteUidOf(a).localeCompare(siteUidOf(b)) || a.id.localeCompare(b.id));
}

/** The live site with this uid (its slug; a site without one is known by its id). */
export async function findSite(db: Db, uid: string): Promise<LocationRow | null> {
  return db.location.findFirst({
    where: { locationType: SITE_LOCATION_TYPE, deletedAt: null, OR: [{ slug: uid }, { slug: null, id: uid }] },
    orderBy: { createdAt: 'asc' },
  });
}

/** The grid: the one top-level location that the sites hang under, if there is exactly one. */
export async function findGrid(db: Db, sites: LocationRow[]): Promise<LocationRow | null> {
  const parents = [...new Set(sites.map((s) => s.parentId).filter((id): id is string => id !== null))];
  if (parents.length === 0) return null;
  const grids = await db.location.findMany({
    where: { id: { in: parents }, parentId: null, locationType: GRID_LOCATION_TYPE, deletedAt: null },
  });
  return grids.length === 1 ? (grids[0] as LocationRow) : null;
}

/** The live groups of `kind` of a site (of every site when none is named), by name. */
async function siteGroups(db: Db, kind: string, siteUid?: string): Promise<GroupRow[]> {
  const prefix = siteUid === undefined ? undefined : clusterGroupName(siteUid, '');
  const rows = await db.group.findMany({
    where: { kind, deletedAt: null, ...(prefix ? { name: { startsWith: prefix } } : {}) },
    orderBy: { name: 'asc' },
  });
  // startsWith may ignore case (SQLite's LIKE): keep only exact prefixes.
  return prefix ? rows.filter((row) => row.name.startsWith(prefix)) : rows;
}

export const listClusters = (db: Db, siteUid?: string): Promise<GroupRow[]> => siteGroups(db, CLUSTER_KIND, siteUid);
export const listFlavors = (db: Db, siteUid?: string): Promise<GroupRow[]> => siteGroups(db, FLAVOR_KIND, siteUid);

export function findCluster(db: Db, siteUid: string, clusterUid: string): Promise<GroupRow | null> {
  return db.group.findFirst({ where: { kind: CLUSTER_KIND, deletedAt: null, name: clusterGroupName(siteUid, clusterUid) } });
}

/** The live flavor of the site with exactly this uid (group names are lower case; the uid keeps its spelling). */
export async function findFlavor(db: Db, siteUid: string, flavorUid: string): Promise<GroupRow | null> {
  const row = await db.group.findFirst({ where: { kind: FLAVOR_KIND, deletedAt: null, name: flavorGroupName(siteUid, flavorUid) } });
  return row && decodeFlavor(row).uid === flavorUid ? row : null;
}

const liveNodeMembers = (clusterId: string) => ({ groupId: clusterId, live: true, device: { deletedAt: null } });

export function countNodes(db: Db, clusterId: string): Promise<number> {
  return db.groupMember.count({ where: liveNodeMembers(clusterId) });
}

/** Nodes of the cluster in uid order: a page of them. */
export async function listNodes(db: Db, clusterId: string, page: { offset: number; limit: number }): Promise<NodeView[]> {
  const members = await db.groupMember.findMany({
    where: liveNodeMembers(clusterId),
    select: { deviceId: true },
    orderBy: { deviceId: 'asc' },
    skip: page.offset,
    take: page.limit,
  });
  return nodesByIds(
    db,
    members.map((m) => m.deviceId as string),
  );
}

/** All nodes of the cluster, `size` at a time (for exports: memory holds one page). */
export async function* nodePages(db: Db, clusterId: string, size = 200): AsyncGenerator<NodeView[]> {
  let after: string | undefined;
  for (;;) {
    const members = await db.groupMember.findMany({
      where: { ...liveNodeMembers(clusterId), ...(after ? { deviceId: { gt: after } } : {}) },
      select: { deviceId: true },
      orderBy: { deviceId: 'asc' },
      take: size,
    });
    if (members.length === 0) return;
    after = members[members.length - 1]?.deviceId as string;
    yield await nodesByIds(
      db,
      members.map((m) => m.deviceId as string),
    );
  }
}

/** The live node of the cluster with this uid, or null. */
export async function findNode(db: Db, clusterId: string, uid: string): Promise<NodeView | null> {
  const id = nodeDeviceId(uid);
  const member = await db.groupMember.findFirst({ where: { ...liveNodeMembers(clusterId), deviceId: id }, select: { id: true } });
  if (!member) return null;
  return (await nodesByIds(db, [id]))[0] ?? null;
}

/** Nodes in the order of `ids`: the device with its live interfaces and drive/GPU children (three queries). */
async function nodesByIds(db: Db, ids: string[]): Promise<NodeView[]> {
  if (ids.length === 0) return [];
  const [devices, interfaces, children] = await Promise.all([
    db.device.findMany({ where: { id: { in: ids } } }),
    db.interface.findMany({ where: { deviceId: { in: ids }, deletedAt: null } }),
    db.device.findMany({ where: { parentId: { in: ids }, deletedAt: null, deviceType: { in: [DRIVE_TYPE, GPU_TYPE] } } }),
  ]);
  const byId = new Map(devices.map((d) => [d.id, d]));
  return ids.flatMap((id) => {
    const device = byId.get(id);
    if (!device) return [];
    const json = decodeNode(
      device,
      interfaces.filter((i) => i.deviceId === id),
      children.filter((c) => c.parentId === id),
    );
    return [{ device, json }];
  });
}

// --- availability --------------------------------------------------------------------------

/** Where node availability comes from: nowhere ("unknown"), or SMD reservations in this store. */
export type AvailabilitySource = 'none' | 'smd';
export const AVAILABILITY_SOURCES: readonly AvailabilitySource[] = ['none', 'smd'];

export interface Availability {
  availability: 'available' | 'reserved' | 'maintenance' | 'unknown';
  /** When a reservation ends (ISO 8601), if it does. */
  availability_until?: string;
}

/**
 * Availability per node id. With SMD as the source, a node is known through the position it is
 * installed in: reservation disabled → maintenance, an unexpired reservation → reserved,
 * otherwise available; a node in no position is unknown.
 */
export async function nodeAvailability(
  db: Db,
  ids: string[],
  source: AvailabilitySource,
  now = new Date(),
): Promise<Map<string, Availability>> {
  const result = new Map<string, Availability>(ids.map((id) => [id, { availability: 'unknown' }]));
  if (source === 'none' || ids.length === 0) return result;
  const installed = await db.installation.findMany({
    where: { deviceId: { in: ids }, open: true, component: { deletedAt: null } },
    select: { deviceId: true, component: { select: { reservationDisabled: true, reservation: { select: { expiresAt: true } } } } },
  });
  for (const { deviceId, component } of installed) {
    const reservation = component.reservation;
    const live = reservation && (reservation.expiresAt === null || reservation.expiresAt > now);
    if (component.reservationDisabled) result.set(deviceId, { availability: 'maintenance' });
    else if (live)
      result.set(deviceId, {
        availability: 'reserved',
        ...(reservation.expiresAt ? { availability_until: reservation.expiresAt.toISOString() } : {}),
      });
    else result.set(deviceId, { availability: 'available' });
  }
  return result;
}
