// Runs a crawl this replica has claimed: reads its targets with bounded concurrency, each
// with its own Redfish client and credentials, records every target's outcome, writes the
// progress to the Operation (at most twice a second), renews the lease while it works, and
// hands the inventories read to the crawl kind's completion. A replica that loses the lease
// (it stalled past it and another took over) stops without finishing.
import type { Db } from '../../db/client.js';
import { readRedfishCredentials } from '../smd/redfish-credentials.js';
import {
  type CrawlProgress,
  type CrawlRow,
  claimCrawl,
  finishCrawlIn,
  loadCrawl,
  renewCrawl,
  saveProgress,
  startTimeOf,
} from './crawl-store.js';
import { readBmcCredential } from './credentials.js';
import { discoveryOptionsOf } from './options.js';
import { mapLimit } from './pool.js';
import { RedfishClient } from './redfish-client.js';
import type { BmcInventory } from './redfish-model.js';
import { readBmc } from './redfish-reader.js';
import { asTargetError, TargetError } from './target-error.js';
import type { CrawlTarget } from './targets.js';

export interface CrawlLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface CrawlHandler {
  /** Each BMC read, as it is read (Discover writes it at once). */
  onRead?(db: Db, crawl: CrawlRow, target: CrawlTarget, inventory: BmcInventory): Promise<void>;
  /** Each target that failed. */
  onFailure?(db: Db, crawl: CrawlRow, target: CrawlTarget, error: TargetError): Promise<void>;
  /** Ends the crawl: writes its outcome and finishes its Operation (finishCrawlIn). */
  complete(db: Db, crawl: CrawlRow, startTime: Date, progress: CrawlProgress, inventories: BmcInventory[]): Promise<void>;
}

const SAVE_EVERY_MS = 500;
/** Failures kept in the Operation (the rest are counted). */
const MAX_FAILURES_LISTED = 1000;

const running = new Map<string, Promise<void>>();

/** Crawls running in this process (tests and shutdown wait for them). */
export function crawlsInFlight(): Promise<void>[] {
  return [...running.values()];
}

type Credentials = { username: string | null; password: string | null };

async function credentialsOf(db: Db, target: CrawlTarget, named: Map<string, Promise<Credentials | null>>): Promise<Credentials> {
  const byName = async () => {
    if (!target.credentials) return null;
    let found = named.get(target.credentials);
    if (!found) named.set(target.credentials, (found = readBmcCredential(db, target.credentials)));
    return found;
  };
  try {
    if (target.xname) {
      const own = await readRedfishCredentials(db, target.xname);
      if (own.username && own.password !== null) return own;
      return (await byName()) ?? own;
    }
    return (await byName()) ?? { username: null, password: null };
  } catch (error) {
    if (error instanceof TargetError) throw error;
    throw new TargetError('refused-credentials', `the stored credentials cannot be used: ${(error as Error).message}`);
  }
}

/** Claims and runs crawl `id` in the background; false when another replica holds it. */
export async function launchCrawl(db: Db, id: string, handler: CrawlHandler, logger?: CrawlLogger): Promise<boolean> {
  const options = discoveryOptionsOf(db);
  if (running.has(id) || !(await claimCrawl(db, id, options.replicaId, options.leaseMs))) return false;
  const run = runClaimed(db, id, handler, logger)
    .catch(async (error) => {
      logger?.warn({ err: error, operation: id }, 'crawl failed');
      await failCrawl(db, id, `the crawl failed: ${(error as Error).message}`).catch(() => undefined);
    })
    .finally(() => running.delete(id));
  running.set(id, run);
  return true;
}

/** Ends a crawl as failed (its Operation done with the error). */
export async function failCrawl(db: Db, id: string, message: string): Promise<void> {
  const startTime = await startTimeOf(db, id);
  const row = await db.operation.findUnique({ where: { id }, select: { metadata: true } });
  const m = (row?.metadata ?? {}) as Partial<CrawlProgress>;
  const progress: CrawlProgress = {
    targetsTotal: m.targetsTotal ?? 0,
    targetsDone: m.targetsDone ?? 0,
    targetsFailed: m.targetsFailed ?? 0,
    failures: m.failures ?? [],
  };
  await db.$transaction((tx) => finishCrawlIn(tx, id, startTime, progress, { error: { code: 10, message } }));
}

async function runClaimed(db: Db, id: string, handler: CrawlHandler, logger?: CrawlLogger): Promise<void> {
  const options = discoveryOptionsOf(db);
  const crawl = await loadCrawl(db, id);
  if (!crawl) return;
  const startTime = await startTimeOf(db, id);
  let lost = false;
  const heartbeat = setInterval(
    () => {
      renewCrawl(db, id, options.replicaId, options.leaseMs).then(
        (held) => {
          if (!held) lost = true;
        },
        (error) => logger?.warn({ err: error, operation: id }, 'crawl: cannot renew the lease; retrying'),
      );
    },
    Math.max(50, Math.floor(options.leaseMs / 3)),
  );
  heartbeat.unref();
  const progress: CrawlProgress = { targetsTotal: crawl.targets.length, targetsDone: 0, targetsFailed: 0, failures: [] };
  let lastSave = Date.now();
  let saving: Promise<void> | undefined;
  const save = () => {
    if (saving || Date.now() - lastSave < SAVE_EVERY_MS) return;
    lastSave = Date.now();
    saving = saveProgress(db, id, startTime, { ...progress, failures: [...progress.failures] })
      .catch((error) => logger?.warn({ err: error, operation: id }, 'crawl: cannot save progress'))
      .finally(() => {
        saving = undefined;
      });
  };
  const named = new Map<string, Promise<Credentials | null>>();
  const inventories: BmcInventory[] = [];
  try {
    await mapLimit(crawl.targets, options.concurrency, async (target) => {
      if (lost) return;
      let client: RedfishClient | undefined;
      try {
        const credentials = await credentialsOf(db, target, named);
        client = new RedfishClient({ ...options, address: target.address, ...credentials });
        const inventory = await readBmc(client, target.xname);
        inventories.push(inventory);
        await handler.onRead?.(db, crawl, target, inventory);
      } catch (raw) {
        const error = asTargetError(raw);
        progress.targetsFailed += 1;
        if (progress.failures.length < MAX_FAILURES_LISTED)
          progress.failures.push({ target: target.address, xname: target.xname, kind: error.kind, message: error.message });
        await handler.onFailure?.(db, crawl, target, error);
      } finally {
        await client?.close();
        progress.targetsDone += 1;
        save();
      }
    });
    await saving;
    if (lost) {
      logger?.warn({ operation: id }, 'crawl: another replica took it over; stopping here');
      return;
    }
    await handler.complete(db, crawl, startTime, progress, inventories);
    logger?.info({ operation: id, targets: progress.targetsTotal, failed: progress.targetsFailed }, 'crawl done');
  } finally {
    clearInterval(heartbeat);
  }
}

export { finishCrawlIn };
