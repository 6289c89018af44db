// The append-only change log. Every service write appends its events inside the write's
// own transaction, so a change and its record land together or not at all.
import { randomUUID } from 'node:crypto';
import { BULK_THRESHOLD, insertRows, JsonText } from '../../db/bulk-insert.js';
import { engineOf, type Prisma, type Tx } from '../../db/client.js';
import { plainJson } from '../../domain/plain-json.js';
import type { ServiceContext } from './context.js';

export type ChangeAction =
  | 'created'
  | 'updated'
  | 'deleted'
  | 'restored'
  | 'moved'
  | 'installed'
  | 'removed'
  | 'connected'
  | 'disconnected'
  | 'member_added'
  | 'member_removed'
  | 'pruned';

export interface Change {
  entityType: string;
  entityId: string;
  action: ChangeAction;
  before?: unknown;
  after?: unknown;
}

/** The row without write-only secrets and the `live` flag. */
function recorded(row: object): Record<string, unknown> {
  const { password: _secret, live: _live, ...rest } = row as Record<string, unknown>;
  return rest;
}

/** A row as plain JSON (dates as ISO strings, a bigint as a number). */
function snapshotOf(row: object | null | undefined): Prisma.InputJsonValue | undefined {
  return row ? (plainJson(recorded(row)) as Prisma.InputJsonValue) : undefined;
}

/**
 * The same snapshot written as JSON text at once, for a bulk INSERT, which would stringify it
 * anyway: an import snapshots every row it writes, and copying each row to plain JSON first
 * was ~3% of its time. Only a column can hold a bigint (a Json column's value came from JSON).
 */
function snapshotText(row: object | null | undefined): JsonText | undefined {
  if (!row) return undefined;
  const rest = recorded(row);
  for (const key in rest) if (typeof rest[key] === 'bigint') rest[key] = Number(rest[key]);
  return new JsonText(JSON.stringify(rest));
}

function eventRow<S>(ctx: ServiceContext, change: Change, snapshot: (row: object | null | undefined) => S) {
  return {
    source: ctx.source,
    actor: ctx.actor ?? null,
    requestId: ctx.requestId ?? null,
    entityType: change.entityType,
    entityId: change.entityId,
    action: change.action,
    before: snapshot(change.before as object),
    after: snapshot(change.after as object),
  };
}

export async function recordChanges(tx: Tx, ctx: ServiceContext, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  if (changes.length < BULK_THRESHOLD) {
    await tx.changeEvent.createMany({ data: changes.map((change) => eventRow(ctx, change, snapshotOf)) });
    return;
  }
  // eventId's default is made by the Prisma client, so a raw INSERT supplies it.
  const rows = changes.map((change) => ({ eventId: randomUUID(), ...eventRow(ctx, change, snapshotText) }));
  await insertRows(tx, engineOf(ctx.db), 'ChangeEvent', rows, new Date());
}
