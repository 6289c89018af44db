// The Collection API's scan of targets: POST /scans with `targets` instead of discovered
// hardware starts a crawl and answers its Operation at once; when the crawl ends, what it read
// becomes a scan like a pushed one (the same matching and diff, stored for approval), or, with
// the policy approve-additions, new devices are applied at once and the rest waits for review.
import { randomUUID } from 'node:crypto';
import { insertRows } from '../../db/bulk-insert.js';
import { type Db, engineOf, type Prisma, type Tx } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import { applyScanDiff } from '../scans/apply.js';
import { isEmptyDiff, type ScanDiff } from '../scans/diff.js';
import { proposeScanDiff } from '../scans/matching.js';
import type { OperationView } from '../scans/operation.js';
import type { ScannedItem } from '../scans/payload.js';
import { type CrawlHandler, type CrawlLogger, finishCrawlIn, launchCrawl } from './crawl-runner.js';
import { type CrawlOptions, type CrawlProgress, type CrawlRow, createCrawlIn } from './crawl-store.js';
import { discoveryOptionsOf } from './options.js';
import type { BmcInventory } from './redfish-model.js';
import { type RawScanItem, scanPayloadOf } from './scan-mapping.js';
import { resolveTargets, targetsKey } from './targets.js';

const POLICIES = ['review', 'approve-additions'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether a POST /scans body names targets to crawl rather than carrying discovered hardware. */
export function isTargetScan(body: unknown): boolean {
  return isObject(body) && 'targets' in body;
}

/** Text as the store takes it: no NUL or other control characters, at most 255 characters. */
const clean = (value: string | null) => {
  if (value === null) return null;
  const text = [...value]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .trim()
    .slice(0, 255);
  return text === '' ? null : text;
};

function scannedItems(rawData: RawScanItem[]): ScannedItem[] {
  return rawData.map((item, index) => ({
    index,
    deviceType: item.deviceType,
    manufacturer: clean(item.manufacturer),
    partNumber: clean(item.partNumber),
    serialNumber: clean(item.serialNumber),
    model: clean(item.model),
    name: clean(item.name),
    parentSerialNumber: null,
    properties: item.properties,
  }));
}

/**
 * The diff without removals below shared enclosures: what else a cabinet chassis holds (the
 * blades of BMCs this crawl did not read) is not reported by the BMCs read, not gone.
 */
function sparingShared(diff: ScanDiff, items: ScannedItem[], sharedUris: Set<string>, matched: Map<string, string>): ScanDiff {
  const shared = new Set(
    items.filter((i) => sharedUris.has(i.properties.redfish_uri as string)).map((i) => matched.get(i.properties.redfish_uri as string)),
  );
  if (shared.size === 0) return diff;
  const spared = new Set<string>();
  // Removals are deepest first: walk them shallowest first so a parent is judged before its children.
  for (const removal of [...diff.removals].reverse()) {
    const parent = removal.parent && 'deviceId' in removal.parent ? removal.parent.deviceId : null;
    if (parent && (shared.has(parent) || spared.has(parent))) spared.add(removal.deviceId);
  }
  return { ...diff, removals: diff.removals.filter((r) => !spared.has(r.deviceId)) };
}

/** Each scanned URI's live device, by the stored redfish_uri (shared enclosures are matched by serial too). */
async function matchedDevices(tx: Tx, items: ScannedItem[], sharedUris: Set<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const item of items.filter((i) => sharedUris.has(i.properties.redfish_uri as string))) {
    const device = item.serialNumber
      ? await tx.device.findFirst({
          where: { deletedAt: null, serialNumber: item.serialNumber, deviceType: item.deviceType },
          select: { id: true },
        })
      : null;
    if (device) out.set(item.properties.redfish_uri as string, device.id);
  }
  return out;
}

/** Starts a scan of the targets `body.targets` names; answers the running Operation. */
export async function startScanCrawl(ctx: ServiceContext, body: unknown, logger?: CrawlLogger): Promise<OperationView> {
  const request = body as Record<string, unknown>;
  const policy = request.policy ?? 'review';
  if (!POLICIES.includes(policy as (typeof POLICIES)[number]))
    throw new ValidationError('policy', `must be one of ${POLICIES.join(', ')} (got ${JSON.stringify(policy)})`);
  const options = discoveryOptionsOf(ctx.db);
  const id = `crawl-${randomUUID()}`;
  const operation = await write(ctx, async (tx) => {
    const targets = await resolveTargets(tx, request.targets, options.maxTargets);
    const crawlOptions: CrawlOptions = { policy: policy as CrawlOptions['policy'], actor: ctx.actor };
    const result = await createCrawlIn(tx, { id, kind: 'scan', targets, targetsKey: targetsKey(targets), options: crawlOptions });
    return { result, changes: [] };
  });
  await launchCrawl(ctx.db, id, scanCrawlHandler, logger);
  return operation;
}

/** The crawl's scan: stored with its diff, new devices applied first under approve-additions. */
async function completeScan(db: Db, crawl: CrawlRow, startTime: Date, progress: CrawlProgress, inventories: BmcInventory[]) {
  const ctx: ServiceContext = { db, source: 'scan', actor: crawl.options.actor };
  // Stable order whatever order the BMCs answered in: the same hardware gives the same payload.
  const ordered = [...inventories].sort((a, b) => (a.xname ?? a.address).localeCompare(b.xname ?? b.address));
  const payload = scanPayloadOf(ordered);
  const summary = { targets: progress.targetsTotal, discovered: inventories.length, failed: progress.targetsFailed };
  await write(ctx, async (tx) => {
    if (payload.rawData.length === 0) {
      await finishCrawlIn(tx, crawl.id, startTime, progress, {
        error: { code: 9, message: `no target answered with hardware: ${progress.targetsFailed} of ${progress.targetsTotal} failed` },
      });
      return { result: undefined, changes: [] };
    }
    const items = scannedItems(payload.rawData);
    const propose = async () =>
      sparingShared(await proposeScanDiff(tx, items), items, payload.sharedUris, await matchedDevices(tx, items, payload.sharedUris));
    let diff: ScanDiff = await propose();
    const changes: Change[] = [];
    let autoApproved = 0;
    if (crawl.options.policy === 'approve-additions' && diff.creates.length) {
      const applied = await applyScanDiff(tx, { creates: diff.creates, updates: [], moves: [], removals: [] });
      changes.push(...applied.changes);
      autoApproved = applied.counts.created;
      // What is left to review, against the inventory as it now is.
      diff = await propose();
    }
    const now = new Date();
    const status = autoApproved && isEmptyDiff(diff) ? 'applied' : 'proposed';
    const scan = { id: randomUUID(), source: 'scan', status, createdAt: startTime, approvedAt: status === 'applied' ? now : null };
    await insertRows(
      tx,
      engineOf(tx),
      'Scan',
      [
        {
          ...scan,
          payload: { rawData: payload.rawData } as unknown as Prisma.InputJsonValue,
          diff: diff as unknown as Prisma.InputJsonObject,
        },
      ],
      now,
    );
    changes.push({ entityType: 'Scan', entityId: scan.id, action: 'created', after: scan });
    const counts = { creates: diff.creates.length, updates: diff.updates.length, moves: diff.moves.length, removals: diff.removals.length };
    await finishCrawlIn(tx, crawl.id, startTime, progress, {
      response: { scanId: scan.id, status, ...summary, proposed: counts, autoApproved: { created: autoApproved } },
    });
    return { result: undefined, changes };
  });
}

export const scanCrawlHandler: CrawlHandler = { complete: completeScan };
