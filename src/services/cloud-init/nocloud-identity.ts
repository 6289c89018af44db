// Who is asking: a NoCloud request's client address → the node's position, its groups and
// their cloud-init Groups (joined by name), its instance info, its interfaces and the cluster
// defaults. Nodes boot in storms, so lookups are batched: every request arriving within a
// couple of milliseconds shares one statement (nocloud-identity-sql.ts; a DataLoader per database,
// without a cache, so every boot sees the store as it is). Batches grow as queries slow: while
// MAX_BATCHES_IN_FLIGHT batches are being answered, the next one keeps collecting requests
// instead of leaving after the window, so a slower database (PostgreSQL over a network, a
// loaded machine) answers more nodes per statement rather than queueing more statements.
import DataLoader from 'dataloader';
import { type Db, engineOf } from '../../db/client.js';
import type { ClusterDefaultsFields, NodeGroup, NodeIdentity, NodeInterface } from '../../domain/nocloud-metadata.js';
import type { ServiceContext } from '../core/context.js';
import { inForceByName } from './cloud-init-groups.js';
import { type CloudInitJson, type IdentityNodeJson, type IdentityRow, identityStatement } from './nocloud-identity-sql.js';

const BATCH_WINDOW_MS = 2;
/** Batches answered at once; later ones wait (and grow) until one of these is done. */
const MAX_BATCHES_IN_FLIGHT = 2;
/** Keeps the address list of one statement well below every engine's parameter limit. */
const MAX_BATCH_SIZE = 1000;

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
  const rows = await db.$queryRawUnsafe<IdentityRow[]>(...identityStatement(engineOf(db), [...new Set(addresses)]));
  // An address may sit on several interfaces (nothing forbids it): the first lead to a live node is it.
  const nodes = new Map<string, { lead: NodeLead; node: IdentityNodeJson }>();
  let defaults: ClusterDefaultsFields | null = null;
  const candidates: CloudInitCandidate[] = [];
  for (const row of rows) {
    if (row.part === 'node') {
      if (!nodes.has(row.address)) nodes.set(row.address, { lead: row, node: JSON.parse(row.json) as IdentityNodeJson });
    } else if (row.part === 'defaults') defaults = JSON.parse(row.json) as ClusterDefaultsFields;
    else candidates.push(candidateOf(JSON.parse(row.json) as CloudInitJson));
  }
  const cloudInitGroups = inForceByName(candidates);
  return addresses.map((address) => {
    const found = nodes.get(address);
    return found ? identityOf(found.node, found.lead, defaults, cloudInitGroups) : null;
  });
}

interface NodeLead {
  bootIp: string;
  bootMac: string | null;
}

/** A cloud-init Group the statement read, ranked as a stored one is (inForceByName). */
type CloudInitCandidate = Omit<CloudInitJson, 'updatedAt'> & { updatedAt: Date };

function candidateOf(json: CloudInitJson): CloudInitCandidate {
  return { ...json, updatedAt: new Date(json.updatedAt) };
}

type NicJson = IdentityNodeJson['interfaces'][number];

function byNameThenMac(a: NicJson, b: NicJson): number {
  return (a.name ?? '').localeCompare(b.name ?? '') || (a.macAddress ?? '').localeCompare(b.macAddress ?? '');
}

/** A node's cloud-init Group: the one of that name (whichever was written first, it or the SMD group). */
function cloudInitOf(row: CloudInitCandidate | undefined): NodeGroup['cloudInit'] {
  if (!row) return null;
  return { description: row.group.description, metaData: row.metaData, template: row.template || null };
}

function identityOf(
  node: IdentityNodeJson,
  lead: NodeLead,
  defaults: ClusterDefaultsFields | null,
  cloudInitGroups: Map<string, CloudInitCandidate>,
): NodeIdentity {
  const nics = [...node.interfaces].sort(byNameThenMac);
  const interfaces: NodeInterface[] = nics.map((nic) => ({
    name: nic.name,
    mac: nic.macAddress,
    description: nic.description,
    enabled: nic.enabled === true || nic.enabled === 1,
    addresses: nic.ipAddresses,
  }));
  const groups: NodeGroup[] = node.groups
    .map((name) => ({ name, cloudInit: cloudInitOf(cloudInitGroups.get(name)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const bootMac = lead.bootMac ?? nics.find((nic) => nic.ipAddresses.some((a) => a.address === lead.bootIp))?.macAddress ?? null;
  return {
    xname: node.xname,
    nid: node.nid,
    role: node.role,
    subRole: node.subRole,
    bootIp: lead.bootIp,
    bootMac,
    interfaces,
    groups,
    instanceInfo: node.instanceInfo,
    clusterDefaults: defaults,
  };
}
