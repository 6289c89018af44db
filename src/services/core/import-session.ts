// Runs one import as ONE transaction: a format's reader streams records and applies each
// through the services' `…In(tx, …)` writers, handing their changes to the session. The
// session appends them to the change log batch by batch (memory stays bounded by a batch),
// counts them for the report, and on a dry run rolls the whole transaction back after the
// reader finished, so the report is the exact diff the import would have made. One import
// runs at a time per database (src/db/import-lock.ts): a second one, dry runs included, is
// refused at once with ImportInProgressError instead of waiting for the first to finish.
// On PostgreSQL the planner follows the import as it grows (planner-statistics.ts): every
// batch looks its keys up in the tables the import is writing.
import { randomUUID } from 'node:crypto';
import { bindEngine, type Db, engineOf, type Tx } from '../../db/client.js';
import { type HeldLock, tryPostgresImportLock, trySqliteImportLock } from '../../db/import-lock.js';
import { afterBulkWrite, BULK_WRITE_ROWS, priceReadsAsCachedWithin, refreshStatisticsWithin } from '../../db/planner-statistics.js';
import { widenPageCacheForImport } from '../../db/sqlite-page-cache.js';
import { InventoryError } from '../../domain/errors.js';
import { announceChanges, publishChanges } from './change-feed.js';
import { type Change, recordChanges } from './change-log.js';
import type { ServiceContext } from './context.js';
import { translateDatabaseError } from './transaction.js';
import { refuseDanglingKeys } from './tree.js';

export interface ImportProgress {
  /** Records the reader has applied so far. */
  records: number;
  /** Changes those records made so far. */
  changes: number;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Called every `progressEvery` records and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  progressEvery?: number;
  /** Every change as it is made (the dry-run diff is printed from here). */
  onChange?: (change: Change) => void;
}

export interface ImportReport {
  dryRun: boolean;
  records: number;
  /** Changes per entity type and action, e.g. { Device: { created: 10, updated: 2 } }. */
  counts: Record<string, Record<string, number>>;
  changes: number;
  seconds: number;
}

export interface ImportSession {
  readonly tx: Tx;
  readonly ctx: ServiceContext;
  /** Files one applied record's changes (possibly none: an unchanged record). */
  record(changes: readonly Change[]): Promise<void>;
}

/** How many changes are buffered before they are appended to the change log. */
const LOG_BATCH = 500;
/** Published after commit one by one; above this many a listener gets nothing (see below). */
const PUBLISH_LIMIT = 10_000;
/** The import's statistics are refreshed each time its changes grow by this factor. */
const ANALYZE_GROWTH = 4;
/** A whole-site import may take minutes; it is still one transaction. */
const IMPORT_TIMEOUT_MS = 60 * 60 * 1000;

class DryRunRollback extends Error {}

/** Another import holds the database: a conflict (REST 409), GraphQL's IMPORT_IN_PROGRESS. */
export class ImportInProgressError extends InventoryError {
  constructor() {
    super('CONFLICT', 'another import is running on this database (dry runs included): retry when it has finished');
  }
}

/** SQLite's lock is taken before the transaction: Prisma would queue the transaction itself. */
async function lockSqlite(db: Db): Promise<HeldLock | undefined> {
  if (engineOf(db) !== 'sqlite') return undefined;
  const held = await trySqliteImportLock(db);
  if (!held) throw new ImportInProgressError();
  return held;
}

export async function runImport(
  callerCtx: ServiceContext,
  options: ImportOptions,
  read: (session: ImportSession) => Promise<void>,
): Promise<ImportReport> {
  // One import is one request in the change log (the CLI has no request of its own), so its
  // events read back as one version (the reference API's /versions).
  const ctx: ServiceContext = { ...callerCtx, requestId: callerCtx.requestId ?? randomUUID() };
  const started = performance.now();
  const counts: ImportReport['counts'] = {};
  const every = options.progressEvery ?? 1000;
  let records = 0;
  let total = 0;
  let pending: Change[] = [];
  let analyzeAt = BULK_WRITE_ROWS;
  const published: Change[] = [];
  const sqliteLock = await lockSqlite(ctx.db);
  let restorePageCache: ((db: Db) => Promise<void>) | undefined;
  try {
    await ctx.db.$transaction(
      async (tx) => {
        bindEngine(tx, ctx.db);
        if (!sqliteLock && !(await tryPostgresImportLock(tx))) throw new ImportInProgressError();
        restorePageCache = await widenPageCacheForImport(tx);
        await priceReadsAsCachedWithin(tx);
        const flush = async () => {
          if (pending.length === 0) return;
          await recordChanges(tx, ctx, pending);
          // Only what a notice carries: the before/after snapshots would hold up to 10k rows.
          for (const { entityType, entityId, action } of pending.slice(0, PUBLISH_LIMIT - published.length))
            published.push({ entityType, entityId, action });
          pending = [];
          if (total >= analyzeAt) {
            await refreshStatisticsWithin(tx);
            analyzeAt *= ANALYZE_GROWTH;
          }
        };
        const session: ImportSession = {
          tx,
          ctx,
          async record(changes) {
            records++;
            for (const change of changes) {
              const byAction = (counts[change.entityType] ??= {});
              byAction[change.action] = (byAction[change.action] ?? 0) + 1;
              options.onChange?.(change);
              pending.push(change);
            }
            total += changes.length;
            if (pending.length >= LOG_BATCH) await flush();
            if (records % every === 0) options.onProgress?.({ records, changes: total });
          },
        };
        await read(session);
        await refuseDanglingKeys(tx);
        await flush();
        options.onProgress?.({ records, changes: total });
        if (options.dryRun) throw new DryRunRollback();
        await announceChanges(tx, ctx.db, published);
      },
      { timeout: IMPORT_TIMEOUT_MS, maxWait: 10_000 },
    );
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw translateDatabaseError(error);
  } finally {
    await restorePageCache?.(ctx.db).catch(() => undefined);
    await sqliteLock?.release();
  }
  // Subscribers follow individual changes; a site-sized import is announced only up to a
  // bound, past which dashboards should re-read (they get the first PUBLISH_LIMIT changes).
  if (!options.dryRun) {
    publishChanges(ctx.db, published);
    await afterBulkWrite(ctx.db, total);
  }
  return { dryRun: options.dryRun ?? false, records, counts, changes: total, seconds: (performance.now() - started) / 1000 };
}
