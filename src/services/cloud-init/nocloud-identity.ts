// Who is asking: a NoCloud request's client address → the node's position, its groups and
// their cloud-init Groups (joined by name), its instance info, its interfaces and the cluster
// defaults. Nodes boot in storms, so lookups are batched: every request arriving within a
// couple of milliseconds shares one fixed set of statements (a DataLoader per database,
// without a cache, so every boot sees the store as it is). Batches grow as queries slow: while
// MAX_BATCHES_IN_FLIGHT batches are being answered, the next one keeps collecting requests
// instead of leaving after the window, so a slower database (PostgreSQL over a network, a
// loaded machine) answers more nodes per statement rather than queueing more statements.
import DataLoader from 'dataloader';
import type { Db } from '../../db/client.js';
import type { NodeGroup, NodeIdentity, NodeInterface } from '../../domain/nocloud-metadata.js';
import type { ServiceContext } from '../core/context.js';
import { CLUSTER_DEFAULTS_ID } from './cloud-init.js';
import { type CloudInitGroupRow, cloudInitGroupsByName } from './cloud-init-groups.js';

const BATCH_WINDOW_MS = 2;
/** Batches answered at once; later ones wait (and grow) until one of these is done. */
const MAX_BATCHES_IN_FLIGHT = 2;
/** Keeps the address list of one statement well below every engine's parameter limit. */
const MAX_BATCH_SIZE = 1000;

const NIC_SELECT = {
  id: true,
  name: true,
  macAddress: true,
  description: true,
  enabled: true,
  ipAddresses: { select: { address: true, network: true }, orderBy: { createdAt: 'asc' } },
} as const;

const LIVE_NICS = { where: { deletedAt: null }, select: NIC_SELECT } as const;

type NicRow = {
  id: string;
  name: string | null;
  macAddress: string | null;
  description: string | null;
  enabled: boolean;
  ipAddresses: Array<{ address: string; network: string | null }>;
};

/** Where an address led: the position (or the device to find it through) and the boot IP and MAC. */
interface Lead {
  componentId?: string;
  deviceId?: string;
  bootIp: string;
  bootMac: string | null;
}

const loaders = new WeakMap<Db, DataLoader<string, NodeIdentity | null>>();

/** "10.1.2.3" and IPv6 in the stored (lower-case) spelling. */
export function addressKey(address: string): string {
  return address.trim().toLowerCase();
}

/** The node that owns `address` (a live IP of one of its interfaces, or its WireGuard tunnel IP), or null. */
export function findNodeByAddress(ctx: ServiceContext, address: string): Promise<NodeIdentity | null> {
  let loader = loaders.get(ctx.db);
  if (!loader) {
    const db = ctx.db;
    const gate = batchGate(MAX_BATCHES_IN_FLIGHT);
    loader = new DataLoader((keys: readonly string[]) => gate.track(loadNodes(db, keys)), {
      cache: false,
      maxBatchSize: MAX_BATCH_SIZE,
      batchScheduleFn: (run) => setTimeout(() => gate.whenOpen(run), BATCH_WINDOW_MS),
    });
    loaders.set(ctx.db, loader);
  }
  return loader.load(addressKey(address));
}

/**
 * Lets a batch leave when fewer than `limit` batches are in flight; until then DataLoader keeps
 * adding the requests that arrive to it (a batch is dispatched only when `run` is called).
 */
export function batchGate(limit: number) {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    inFlight--;
    const next = waiting.shift();
    if (next) {
      inFlight++;
      next();
    }
  };
  return {
    whenOpen(run: () => void) {
      if (inFlight < limit) {
        inFlight++;
        run();
      } else waiting.push(run);
    },
    track<T>(work: Promise<T>): Promise<T> {
      work.then(release, release);
      return work;
    },
  };
}

async function loadNodes(db: Db, addresses: readonly string[]): Promise<Array<NodeIdentity | null>> {
  const wanted = [...new Set(addresses)];
  const [ipRows, peers, defaults] = await Promise.all([
    db.ipAddress.findMany({
      where: { address: { in: wanted }, interface: { deletedAt: null } },
      select: { address: true, interface: { select: { macAddress: true, componentId: true, deviceId: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    db.wireguardPeer.findMany({ where: { tunnelIp: { in: wanted } }, select: { tunnelIp: true, clientIp: true, componentId: true } }),
    db.clusterDefaults.findUnique({ where: { id: CLUSTER_DEFAULTS_ID } }),
  ]);

  // An address may sit on several interfaces (nothing forbids it): each is a candidate, in order.
  const leads = new Map<string, Lead[]>();
  const add = (address: string, lead: Lead) => leads.set(address, [...(leads.get(address) ?? []), lead]);
  for (const row of ipRows) {
    const { componentId, deviceId, macAddress } = row.interface;
    add(row.address, { componentId: componentId ?? undefined, deviceId: deviceId ?? undefined, bootIp: row.address, bootMac: macAddress });
  }
  for (const peer of peers) add(peer.tunnelIp, { componentId: peer.componentId, bootIp: peer.clientIp || peer.tunnelIp, bootMac: null });

  const deviceIds = [
    ...new Set(ipRows.filter((r) => !r.interface.componentId && r.interface.deviceId).map((r) => r.interface.deviceId as string)),
  ];
  const installed = deviceIds.length
    ? await db.installation.findMany({ where: { open: true, deviceId: { in: deviceIds } }, select: { deviceId: true, componentId: true } })
    : [];
  const positionOfDevice = new Map(installed.map((i) => [i.deviceId, i.componentId]));
  const componentOf = (lead: Lead) => lead.componentId ?? (lead.deviceId ? positionOfDevice.get(lead.deviceId) : undefined);

  const componentIds = [
    ...new Set(
      [...leads.values()]
        .flat()
        .map(componentOf)
        .filter((id): id is string => id !== undefined),
    ),
  ];
  const components = componentIds.length ? await loadComponents(db, componentIds) : [];
  const byId = new Map(components.map((c) => [c.id, c]));
  const cloudInitGroups = await cloudInitGroupsByName(
    db,
    components.flatMap((c) => c.memberships.map((m) => m.group.name)),
  );

  return addresses.map((address) => {
    for (const lead of leads.get(address) ?? []) {
      const component = byId.get(componentOf(lead) ?? '');
      if (component) return identityOf(component, lead, defaults, cloudInitGroups);
    }
    return null;
  });
}

function loadComponents(db: Db, ids: string[]) {
  return db.component.findMany({
    where: { id: { in: ids }, deletedAt: null },
    select: {
      id: true,
      xname: true,
      nid: true,
      role: true,
      subRole: true,
      instanceInfo: true,
      memberships: {
        where: { live: true, group: { kind: 'group', deletedAt: null } },
        select: { group: { select: { name: true } } },
      },
      interfaces: LIVE_NICS,
      installations: { where: { open: true }, select: { device: { select: { interfaces: LIVE_NICS } } } },
    },
  });
}

type ComponentRow = Awaited<ReturnType<typeof loadComponents>>[number];

/** The position's own interfaces and those of the device installed in it, once each, by name. */
function interfacesOf(component: ComponentRow): NicRow[] {
  const all = [...component.interfaces, ...component.installations.flatMap((i) => i.device.interfaces)];
  const unique = [...new Map(all.map((nic) => [nic.id, nic])).values()];
  return unique.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.macAddress ?? '').localeCompare(b.macAddress ?? ''));
}

/** A node's cloud-init Group: the one of that name (whichever was written first, it or the SMD group). */
function cloudInitOf(row: CloudInitGroupRow | undefined): NodeGroup['cloudInit'] {
  if (!row) return null;
  return { description: row.group.description, metaData: row.metaData as Record<string, unknown>, template: row.template || null };
}

function identityOf(
  component: ComponentRow,
  lead: Lead,
  defaults: NodeIdentity['clusterDefaults'],
  cloudInitGroups: Map<string, CloudInitGroupRow>,
): NodeIdentity {
  const nics = interfacesOf(component);
  const interfaces: NodeInterface[] = nics.map((nic) => ({
    name: nic.name,
    mac: nic.macAddress,
    description: nic.description,
    enabled: nic.enabled,
    addresses: nic.ipAddresses,
  }));
  const groups: NodeGroup[] = component.memberships
    .map(({ group }) => ({ name: group.name, cloudInit: cloudInitOf(cloudInitGroups.get(group.name)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const bootMac = lead.bootMac ?? nics.find((nic) => nic.ipAddresses.some((a) => a.address === lead.bootIp))?.macAddress ?? null;
  return {
    xname: component.xname,
    nid: component.nid === null ? null : Number(component.nid),
    role: component.role,
    subRole: component.subRole,
    bootIp: lead.bootIp,
    bootMac,
    interfaces,
    groups,
    instanceInfo: component.instanceInfo,
    clusterDefaults: defaults,
  };
}
