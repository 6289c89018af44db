// A crawl's rows: the Crawl (targets, lease) and its Operation (RFD 112's progress record),
// created together; the lease claimed and renewed with conditional updates, which is atomic
// on both engines, so one replica runs a crawl however many try.
import type { Db, Prisma, Tx } from '../../db/client.js';
import { ConflictError } from '../../domain/errors.js';
import { type OperationView, operationView } from '../scans/operation.js';
import { announceProgress } from './progress.js';
import type { TargetErrorKind } from './target-error.js';
import type { CrawlTarget } from './targets.js';

export const CRAWL_METADATA_TYPE = 'type.googleapis.com/openchami.collection.v1.CrawlMetadata';
/** Starts of one crawl (the first and each resumption) after which a restart marks it failed instead. */
export const MAX_ATTEMPTS = 3;

export type CrawlKind = 'scan' | 'discover';

export interface CrawlOptions {
  /** review (default): the diff waits for approval; approve-additions: new devices are applied at once. */
  policy?: 'review' | 'approve-additions';
  actor?: string;
  /** SMD's Discover: the status record it reports on. */
  discoveryStatusId?: number;
}

export interface TargetFailure {
  target: string;
  xname: string | null;
  kind: TargetErrorKind;
  message: string;
}

export interface CrawlProgress {
  targetsTotal: number;
  targetsDone: number;
  targetsFailed: number;
  failures: TargetFailure[];
}

export interface CrawlRow {
  id: string;
  kind: CrawlKind;
  targets: CrawlTarget[];
  options: CrawlOptions;
  attempts: number;
}

export function metadataOf(startTime: Date, progress: CrawlProgress, state: 'RUNNING' | 'DONE' | 'FAILED'): Prisma.InputJsonObject {
  const percent = progress.targetsTotal ? Math.floor((100 * progress.targetsDone) / progress.targetsTotal) : 100;
  return {
    '@type': CRAWL_METADATA_TYPE,
    state,
    startTime: startTime.toISOString(),
    lastUpdateTime: new Date().toISOString(),
    progressPercent: state === 'RUNNING' ? Math.min(percent, 99) : 100,
    targetsTotal: progress.targetsTotal,
    targetsDone: progress.targetsDone,
    targetsFailed: progress.targetsFailed,
    failures: progress.failures as unknown as Prisma.InputJsonArray,
  };
}

/** Creates the crawl and its running Operation; CONFLICT when a crawl of the same targets is running. */
export async function createCrawlIn(
  tx: Tx,
  crawl: { id: string; kind: CrawlKind; targets: CrawlTarget[]; targetsKey: string; options: CrawlOptions },
): Promise<OperationView> {
  const running = await tx.crawl.findFirst({ where: { targetsKey: crawl.targetsKey, active: true }, select: { id: true } });
  if (running) throw new ConflictError('targets', `a crawl of the same targets is running: operations/${running.id}`);
  const startTime = new Date();
  await tx.crawl.create({
    data: {
      id: crawl.id,
      kind: crawl.kind,
      targets: crawl.targets as unknown as Prisma.InputJsonArray,
      targetsKey: crawl.targetsKey,
      options: crawl.options as Prisma.InputJsonObject,
    },
  });
  const progress = { targetsTotal: crawl.targets.length, targetsDone: 0, targetsFailed: 0, failures: [] };
  const row = await tx.operation.create({
    data: { id: crawl.id, kind: `crawl-${crawl.kind}`, done: false, metadata: metadataOf(startTime, progress, 'RUNNING') },
  });
  return operationView(row);
}

/** Claims the crawl for `owner` when nobody holds a current lease on it; true when claimed. */
export async function claimCrawl(db: Db, id: string, owner: string, leaseMs: number): Promise<boolean> {
  const now = new Date();
  const { count } = await db.crawl.updateMany({
    where: { id, active: true, OR: [{ owner: null }, { leaseUntil: { lt: now } }, { owner }] },
    data: { owner, leaseUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
  });
  return count === 1;
}

/** Extends the lease; false when `owner` no longer holds it (it lapsed and another replica took it). */
export async function renewCrawl(db: Db, id: string, owner: string, leaseMs: number): Promise<boolean> {
  const { count } = await db.crawl.updateMany({
    where: { id, owner, active: true },
    data: { leaseUntil: new Date(Date.now() + leaseMs) },
  });
  return count === 1;
}

export async function loadCrawl(db: Db, id: string): Promise<CrawlRow | null> {
  const row = await db.crawl.findUnique({ where: { id } });
  return row
    ? {
        id: row.id,
        kind: row.kind as CrawlKind,
        targets: row.targets as unknown as CrawlTarget[],
        options: row.options as CrawlOptions,
        attempts: row.attempts,
      }
    : null;
}

/** Running crawls that no replica holds (never claimed, or the lease lapsed: its replica stopped). */
export async function orphanedCrawls(db: Db): Promise<Array<{ id: string; attempts: number }>> {
  return db.crawl.findMany({
    where: { active: true, OR: [{ owner: null }, { leaseUntil: { lt: new Date() } }] },
    select: { id: true, attempts: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** Writes the progress so far, while `owner` holds the crawl. */
export async function saveProgress(db: Db, id: string, startTime: Date, progress: CrawlProgress): Promise<void> {
  await db.operation.updateMany({ where: { id, done: false }, data: { metadata: metadataOf(startTime, progress, 'RUNNING') } });
  announceProgress(id);
}

/** Ends the crawl (in the caller's transaction): the Operation done with its response or error. */
export async function finishCrawlIn(
  tx: Tx,
  id: string,
  startTime: Date,
  progress: CrawlProgress,
  outcome: { response: Prisma.InputJsonObject } | { error: { code: number; message: string } },
): Promise<OperationView> {
  const failed = 'error' in outcome;
  await tx.crawl.update({ where: { id }, data: { status: failed ? 'failed' : 'done', active: null, owner: null, leaseUntil: null } });
  const row = await tx.operation.update({
    where: { id },
    data: { done: true, metadata: metadataOf(startTime, progress, failed ? 'FAILED' : 'DONE'), result: outcome as Prisma.InputJsonObject },
  });
  return operationView(row);
}

/** When the crawl's Operation started (its metadata's startTime). */
export async function startTimeOf(db: Db, id: string): Promise<Date> {
  const row = await db.operation.findUnique({ where: { id }, select: { metadata: true, createdAt: true } });
  const text = (row?.metadata as { startTime?: string } | undefined)?.startTime;
  return text ? new Date(text) : (row?.createdAt ?? new Date());
}
