// The append-only change log. Every service write appends its events inside the write's
// own transaction, so a change and its record land together or not at all.
import { randomUUID } from 'node:crypto';
import { BULK_THRESHOLD, insertRows } from '../../db/bulk-insert.js';
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

/** Converts a row to plain JSON (dates as ISO strings), dropping write-only secrets. */
export function snapshotOf(row: object | null | undefined): Prisma.InputJsonValue | undefined {
  if (!row) return undefined;
  const { password: _secret, live: _live, ...rest } = row as Record<string, unknown>;
  return plainJson(rest) as Prisma.InputJsonValue;
}

export async function recordChanges(tx: Tx, ctx: ServiceContext, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map((change) => ({
    source: ctx.source,
    actor: ctx.actor ?? null,
    requestId: ctx.requestId ?? null,
    entityType: change.entityType,
    entityId: change.entityId,
    action: change.action,
    before: snapshotOf(change.before as object),
    after: snapshotOf(change.after as object),
  }));
  if (rows.length < BULK_THRESHOLD) {
    await tx.changeEvent.createMany({ data: rows });
    return;
  }
  // eventId's default is made by the Prisma client, so a raw INSERT supplies it.
  const now = new Date();
  await insertRows(
    tx,
    engineOf(ctx.db),
    'ChangeEvent',
    rows.map((row) => ({ eventId: randomUUID(), ...row })),
    now,
  );
}
