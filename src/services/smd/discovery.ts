// SMD discovery requests and their status records. The gateway does not crawl BMCs: Redfish
// data arrives through the RedfishEndpoints payloads magellan sends. A discovery request is
// checked (every named endpoint must exist) and recorded as DiscoveryStatus 0, SMD's only
// status record, whose Details say that no crawl took place.
import type { Prisma } from '../../db/client.js';
import { InventoryError, NotFoundError } from '../../domain/errors.js';
import { normalizeXname } from '../../domain/xname.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import { type ReadSource, readerOf } from '../inventory/interface-queries.js';

export interface DiscoveryStatusView {
  id: number;
  status: string;
  lastUpdateTime: Date;
  details: unknown;
}

export const NO_CRAWL_NOTE =
  'This gateway does not crawl Redfish endpoints; discovered data is recorded when magellan (or another client) POSTs or PUTs it to /hsm/v2/Inventory/RedfishEndpoints.';

/** SMD's status record 0 before any discovery request. */
const INITIAL: DiscoveryStatusView = { id: 0, status: 'NotStarted', lastUpdateTime: new Date(0), details: {} };

export async function listDiscoveryStatus(source: ReadSource): Promise<DiscoveryStatusView[]> {
  const rows = await readerOf(source).discoveryStatus.findMany({ orderBy: [{ id: 'asc' }] });
  return rows.length ? rows : [INITIAL];
}

export async function findDiscoveryStatus(source: ReadSource, id: number): Promise<DiscoveryStatusView | undefined> {
  const db = readerOf(source);
  const row = await db.discoveryStatus.findUnique({ where: { id } });
  return row ?? (id === 0 && (await db.discoveryStatus.count()) === 0 ? INITIAL : undefined);
}

/**
 * Records a discovery request (SMD POST /Inventory/Discover) as status 0, Complete, with the
 * endpoints named (or all) in its Details. NOT_FOUND names the first unknown endpoint, or
 * "RedfishEndpoints" when none exists at all.
 */
export async function recordDiscoveryRequest(
  ctx: ServiceContext,
  request: { xnames?: string[]; force?: boolean },
): Promise<DiscoveryStatusView> {
  const named = [...new Set((request.xnames ?? []).map((x) => normalizeXname(x)))];
  return write(ctx, async (tx) => {
    let xnames: string[];
    if (named.length) {
      const live = await tx.redfishEndpoint.findMany({ where: { deletedAt: null, xname: { in: named } }, select: { xname: true } });
      const known = new Set(live.map((r) => r.xname));
      const missing = named.find((x) => !known.has(x));
      if (missing) throw new NotFoundError('RedfishEndpoint', missing, 'xnames');
      xnames = named;
    } else {
      const live = await tx.redfishEndpoint.findMany({ where: { deletedAt: null }, select: { xname: true }, orderBy: [{ xname: 'asc' }] });
      if (live.length === 0) throw new InventoryError('NOT_FOUND', 'RedfishEndpoints collection is empty', 'RedfishEndpoints');
      xnames = live.map((r) => r.xname);
    }
    const details = { Note: NO_CRAWL_NOTE, XNames: xnames, Force: request.force ?? false } satisfies Prisma.InputJsonObject;
    const before = await tx.discoveryStatus.findUnique({ where: { id: 0 } });
    const now = new Date();
    const after = await tx.discoveryStatus.upsert({
      where: { id: 0 },
      create: { id: 0, status: 'Complete', lastUpdateTime: now, details },
      update: { status: 'Complete', lastUpdateTime: now, details },
    });
    return {
      result: after,
      changes: [{ entityType: 'DiscoveryStatus', entityId: '0', action: before ? 'updated' : 'created', before, after }],
    };
  });
}
