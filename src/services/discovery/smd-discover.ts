// SMD's POST /Inventory/Discover, crawling for real: the named RedfishEndpoints (none named:
// all of them) are read in the background and what each answers is written at once as SMD's
// own discovery writes it — components, ComponentEndpoints, EthernetInterfaces and the nodes'
// HardwareInventory — with no approval step (SMD's clients expect the data), logged with
// source "discovery". Each endpoint's DiscoveryInfo gets LastDiscoveryAttempt and
// LastDiscoveryStatus in SMD's words, and DiscoveryStatus 0 goes InProgress → Complete.
import { randomUUID } from 'node:crypto';
import type { Db, Prisma, Tx } from '../../db/client.js';
import { InventoryError, NotFoundError } from '../../domain/errors.js';
import { normalizeXname } from '../../domain/xname.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import type { DiscoveryStatusView } from '../smd/discovery.js';
import { syncHardwareLocationIn } from '../smd/hardware-inventory.js';
import { applyRedfishInventoryIn } from '../smd/redfish-discovery.js';
import { type CrawlHandler, type CrawlLogger, finishCrawlIn, launchCrawl } from './crawl-runner.js';
import { type CrawlProgress, type CrawlRow, createCrawlIn } from './crawl-store.js';
import { discoveryOptionsOf } from './options.js';
import type { BmcInventory } from './redfish-model.js';
import { hardwareLocationsOf, redfishInventoryOf } from './smd-mapping.js';
import { TargetError, type TargetErrorKind } from './target-error.js';
import { type CrawlTarget, resolveTargets, targetsKey } from './targets.js';

const STATUS_ID = 0;

/** SMD's LastDiscoveryStatus for each failure (hms-smd pkg/rf: HTTPsGetFailed, EPResponseFailedDecode, EndpointInvalid). */
const SMD_STATUS: Record<TargetErrorKind, string> = {
  unreachable: 'HTTPsGetFailed',
  'refused-credentials': 'HTTPsGetFailed',
  'bad-tls': 'HTTPsGetFailed',
  'bmc-error': 'HTTPsGetFailed',
  'malformed-answer': 'EPResponseFailedDecode',
  'not-a-bmc': 'EndpointInvalid',
  'store-failed': 'StoreFailed',
};

/**
 * One BMC's records are written at a time per database client: two nodes found at once must
 * not be handed the same free NID, which is read and then taken inside each write.
 */
const writing = new WeakMap<object, Promise<unknown>>();
function oneAtATime<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const previous = writing.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  writing.set(db, next);
  return next;
}

async function setStatusIn(tx: Tx, status: string, details: Prisma.InputJsonObject): Promise<{ row: DiscoveryStatusView; change: Change }> {
  const before = await tx.discoveryStatus.findUnique({ where: { id: STATUS_ID } });
  const now = new Date();
  const row = await tx.discoveryStatus.upsert({
    where: { id: STATUS_ID },
    create: { id: STATUS_ID, status, lastUpdateTime: now, details },
    update: { status, lastUpdateTime: now, details },
  });
  return {
    row,
    change: { entityType: 'DiscoveryStatus', entityId: String(STATUS_ID), action: before ? 'updated' : 'created', before, after: row },
  };
}

/**
 * Starts SMD's discovery of the named endpoints (or all); answers status record 0, InProgress.
 * NOT_FOUND names the first unknown endpoint ("xnames"), or "RedfishEndpoints" when there is none.
 */
export async function startDiscover(
  ctx: ServiceContext,
  request: { xnames?: string[]; force?: boolean },
  logger?: CrawlLogger,
): Promise<DiscoveryStatusView> {
  const named = [...new Set((request.xnames ?? []).map((x) => normalizeXname(x)))];
  const options = discoveryOptionsOf(ctx.db);
  const id = `crawl-${randomUUID()}`;
  const status = await write(ctx, async (tx) => {
    if (named.length) {
      const live = await tx.redfishEndpoint.findMany({ where: { deletedAt: null, xname: { in: named } }, select: { xname: true } });
      const missing = named.find((x) => !live.some((r) => r.xname === x));
      if (missing) throw new NotFoundError('RedfishEndpoint', missing, 'xnames');
    } else if ((await tx.redfishEndpoint.count({ where: { deletedAt: null } })) === 0) {
      throw new InventoryError('NOT_FOUND', 'RedfishEndpoints collection is empty', 'RedfishEndpoints');
    }
    const targets = await resolveTargets(tx, named.length ? { xnames: named } : { all: true }, options.maxTargets, 'xnames');
    await createCrawlIn(tx, {
      id,
      kind: 'discover',
      targets,
      targetsKey: targetsKey(targets),
      options: { actor: ctx.actor, discoveryStatusId: STATUS_ID },
    });
    const details = { XNames: targets.map((t) => t.xname), Force: request.force ?? false, Operation: `operations/${id}` };
    const { row, change } = await setStatusIn(tx, 'InProgress', details as Prisma.InputJsonObject);
    return { result: row, changes: [change] };
  });
  await launchCrawl(ctx.db, id, discoverHandler, logger);
  return status;
}

const discoveryContext = (db: Db, crawl: CrawlRow): ServiceContext => ({ db, source: 'discovery', actor: crawl.options.actor });

/** The endpoint's DiscoveryInfo after an attempt, in the caller's transaction. */
async function recordAttemptIn(tx: Tx, xname: string, info: Record<string, unknown>): Promise<Change[]> {
  const before = await tx.redfishEndpoint.findFirst({ where: { xname, deletedAt: null }, omit: { password: true } });
  if (!before) return [];
  const discoveryInfo = { ...(before.discoveryInfo as Record<string, unknown>), LastDiscoveryAttempt: new Date().toISOString(), ...info };
  const after = await tx.redfishEndpoint.update({
    where: { id: before.id },
    data: { discoveryInfo: discoveryInfo as Prisma.InputJsonObject, revision: { increment: 1 } },
    omit: { password: true },
  });
  return [{ entityType: 'RedfishEndpoint', entityId: before.id, action: 'updated', before, after }];
}

/** One BMC's answer written as SMD's discovery writes it, in one transaction. */
async function writeDiscovered(db: Db, crawl: CrawlRow, target: CrawlTarget, inventory: BmcInventory): Promise<void> {
  const xname = target.xname;
  if (!xname) return;
  const store = () =>
    write(discoveryContext(db, crawl), async (tx) => {
      const endpoint = await tx.redfishEndpoint.findFirst({
        where: { xname, deletedAt: null },
        select: { xname: true, fqdn: true, enabled: true },
      });
      // Deleted while the crawl ran: nothing to write it under.
      if (!endpoint) return { result: undefined, changes: [] };
      const changes = await applyRedfishInventoryIn(tx, endpoint, redfishInventoryOf(inventory), { force: true, sync: true });
      for (const location of hardwareLocationsOf(inventory)) changes.push(...(await syncHardwareLocationIn(tx, location)).changes);
      changes.push(
        ...(await recordAttemptIn(tx, xname, { LastDiscoveryStatus: 'DiscoverOK', RedfishVersion: inventory.serviceRoot.redfishVersion })),
      );
      return { result: undefined, changes };
    });
  try {
    await oneAtATime(db, store);
  } catch (error) {
    throw new TargetError('store-failed', `what ${target.address} answered could not be stored: ${(error as Error).message}`);
  }
}

async function recordFailure(db: Db, crawl: CrawlRow, target: CrawlTarget, error: TargetError): Promise<void> {
  const xname = target.xname;
  if (!xname) return;
  await oneAtATime(db, () =>
    write(discoveryContext(db, crawl), async (tx) => ({
      result: undefined,
      changes: await recordAttemptIn(tx, xname, { LastDiscoveryStatus: SMD_STATUS[error.kind] }),
    })),
  );
}

async function completeDiscover(db: Db, crawl: CrawlRow, startTime: Date, progress: CrawlProgress, inventories: BmcInventory[]) {
  await write(discoveryContext(db, crawl), async (tx) => {
    const details = {
      XNames: crawl.targets.map((t) => t.xname),
      Operation: `operations/${crawl.id}`,
      Discovered: inventories.length,
      Failed: progress.failures.map((f) => ({ XName: f.xname, Kind: f.kind, Message: f.message })),
    };
    const { change } = await setStatusIn(tx, 'Complete', details as unknown as Prisma.InputJsonObject);
    await finishCrawlIn(tx, crawl.id, startTime, progress, {
      response: {
        discoveryStatus: STATUS_ID,
        targets: progress.targetsTotal,
        discovered: inventories.length,
        failed: progress.targetsFailed,
      },
    });
    return { result: undefined, changes: [change] };
  });
}

export const discoverHandler: CrawlHandler = { onRead: writeDiscovered, onFailure: recordFailure, complete: completeDiscover };
