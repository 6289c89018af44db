// Runs a service write in one transaction and turns database constraint failures into
// InventoryErrors that name the field, so no API ever answers a duplicate with a 500.
import { bindEngine, type Tx } from '../../db/client.js';
import { ConflictError, InventoryError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { announceChanges, publishChanges } from './change-feed.js';
import { type Change, recordChanges } from './change-log.js';
import type { ServiceContext } from './context.js';
import { refuseDanglingKeys } from './tree.js';

export interface WriteResult<T> {
  result: T;
  changes: Change[];
}

/**
 * `work` does the writes and returns what to answer plus the changes to log; both happen
 * in the same transaction.
 */
export async function write<T>(ctx: ServiceContext, work: (tx: Tx) => Promise<WriteResult<T>>): Promise<T> {
  let committed: Change[] = [];
  let result: T;
  try {
    result = await ctx.db.$transaction(
      async (tx) => {
        bindEngine(tx, ctx.db);
        const done = await work(tx);
        await refuseDanglingKeys(tx);
        await recordChanges(tx, ctx, done.changes);
        await announceChanges(tx, ctx.db, done.changes);
        committed = done.changes;
        return done.result;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (error) {
    throw translateDatabaseError(error);
  }
  publishChanges(ctx.db, committed);
  for (const listener of committedListeners) listener(ctx.db, committed);
  return result;
}

type CommittedListener = (db: ServiceContext['db'], changes: readonly Change[]) => void;
const committedListeners = new Set<CommittedListener>();

/**
 * The driver's error behind a failed raw query (P2010, "raw query failed"): its `kind`
 * (UniqueConstraintViolation …), table and constraint. Undefined for any other error.
 */
// biome-ignore lint/suspicious/noExplicitAny: the driver adapter's error cause is untyped
export function rawQueryCause(error: unknown): Record<string, any> | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: the driver adapter's error cause is untyped
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: Record<string, any> } } } | null;
  return e?.code === 'P2010' ? e.meta?.driverAdapterError?.cause : undefined;
}

/**
 * Whether a write was refused by a unique index: Prisma's own writes report P2002, a raw INSERT
 * (db/bulk-insert.ts) P2010 carrying the driver's constraint violation.
 */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'P2002' || rawQueryCause(error)?.kind === 'UniqueConstraintViolation';
}

/**
 * Calls `listener` after each write this process commits, with the write's changes (before and
 * after): for side effects that must never see a rolled-back change (SMD's SCN delivery). It
 * must not throw or block; the answer to the write does not wait for it. Returns the remover.
 */
export function onCommitted(listener: CommittedListener): () => void {
  committedListeners.add(listener);
  return () => committedListeners.delete(listener);
}

const LIVE_COLUMNS = new Set(['live', 'open']);

// PostgreSQL reports the index ("Interface_macAddress_live_key"), not its columns; Prisma
// names unique indexes <Model>_<column>_..._key, and our columns have no underscores.
function indexColumns(index: string): string[] {
  const match = /^[A-Za-z]+_(.+)_key$/.exec(index);
  return match ? match[1].split('_') : [index];
}

// biome-ignore lint/suspicious/noExplicitAny: Prisma's error meta is untyped
function constraintFields(error: Record<string, any>): string[] {
  const meta = error.meta ?? {};
  const fields: unknown =
    meta.target ?? meta.driverAdapterError?.cause?.constraint?.fields ?? meta.driverAdapterError?.cause?.constraint?.index;
  const list = Array.isArray(fields) ? fields.map(String) : typeof fields === 'string' ? indexColumns(fields) : [];
  return list.map((f) => f.replace(/^"|"$/g, '')).filter((f) => !LIVE_COLUMNS.has(f));
}

export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof InventoryError) return error;
  // biome-ignore lint/suspicious/noExplicitAny: Prisma's error meta is untyped
  const e = error as Record<string, any> | null;
  if (!e || typeof e !== 'object') return error;
  const model: string = e.meta?.modelName ?? 'record';
  switch (e.code) {
    case 'P2002': {
      const fields = constraintFields(e);
      const named = fields.length ? fields.join(', ') : 'a unique key';
      return new ConflictError(fields.join('.') || 'id', `a live ${model} with the same ${named} already exists`);
    }
    case 'P2003': {
      const field = String(e.meta?.field_name ?? e.meta?.driverAdapterError?.cause?.constraint?.fields?.[0] ?? 'reference');
      return new ValidationError(field, `refers to a ${model} link that does not exist or is still in use`);
    }
    case 'P2025':
      return new NotFoundError(model, String(e.meta?.cause ?? ''));
    default:
      return error;
  }
}
