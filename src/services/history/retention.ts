// The History API's retention: one policy row ("default") and the prune that applies it.
// A prune never breaks a point the log must still rebuild: the present (every entity's last
// event) and every snapshot that survives it (pinned ones always do).

import type { Tx } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { optionalInt, requireObject } from '../../domain/validate.js';
import { Prisma } from '../../generated/sqlite/client.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';

const POLICY_ID = 'default';
const POLICY_FIELDS = ['maxAgeDays', 'maxEvents'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Policy {
  maxAgeDays: number | null;
  maxEvents: number | null;
  updatedAt: Date | null;
}

export async function getPolicy(ctx: ServiceContext): Promise<Policy> {
  const row = await ctx.db.retentionPolicy.findUnique({ where: { id: POLICY_ID } });
  return { maxAgeDays: row?.maxAgeDays ?? null, maxEvents: row?.maxEvents ?? null, updatedAt: row?.updatedAt ?? null };
}

/** Replaces the policy; an absent or null limit means "no limit". */
export function putPolicy(ctx: ServiceContext, input: Record<string, unknown>): Promise<Policy> {
  requireObject(input, 'body');
  const unknown = Object.keys(input).find((key) => !(POLICY_FIELDS as readonly string[]).includes(key));
  if (unknown) throw new ValidationError(unknown, `is not a policy field (expected ${POLICY_FIELDS.join(', ')})`);
  const data = {
    maxAgeDays: optionalInt(input.maxAgeDays, 'maxAgeDays', 1) ?? null,
    maxEvents: optionalInt(input.maxEvents, 'maxEvents', 1) ?? null,
  };
  return write(ctx, async (tx) => {
    const before = await tx.retentionPolicy.findUnique({ where: { id: POLICY_ID } });
    const after = await tx.retentionPolicy.upsert({ where: { id: POLICY_ID }, create: { id: POLICY_ID, ...data }, update: data });
    return {
      result: { maxAgeDays: after.maxAgeDays, maxEvents: after.maxEvents, updatedAt: after.updatedAt },
      changes: [{ entityType: 'RetentionPolicy', entityId: POLICY_ID, action: before ? 'updated' : 'created', before, after }],
    };
  });
}

export interface PruneResult {
  /** Events at or below this seq were candidates (0: the policy allows everything). */
  throughSeq: number;
  prunedEvents: number;
  deletedSnapshots: string[];
}

interface Horizon {
  /** The highest seq the policy lets go of. */
  seq: number;
  /** Below this seq fall the events past maxEvents; unpinned snapshots there expire. */
  countSeq: number;
  /** Unpinned snapshots taken before this expire (by age, not by seq: a quiet log keeps old seqs). */
  expiredBefore: Date | null;
}

async function horizon(tx: Tx, policy: Policy, now: Date): Promise<Horizon> {
  const expiredBefore = policy.maxAgeDays ? new Date(now.getTime() - policy.maxAgeDays * DAY_MS) : null;
  const byAge = expiredBefore
    ? ((await tx.changeEvent.aggregate({ _max: { seq: true }, where: { occurredAt: { lt: expiredBefore } } }))._max.seq ?? 0)
    : 0;
  const byCount = policy.maxEvents
    ? ((await tx.changeEvent.findFirst({ orderBy: { seq: 'desc' }, skip: policy.maxEvents, select: { seq: true } }))?.seq ?? 0)
    : 0;
  return { seq: Math.max(byAge, byCount), countSeq: byCount, expiredBefore };
}

/**
 * Deletes events at or below the horizon unless a point needs them. An event is needed when no
 * later event of its entity exists (the present needs it) or a snapshot lies between it and the
 * next one (that snapshot's state needs it); "any later event with no snapshot in between" is
 * the same test as "the next event …", since the gap only widens.
 */
function pruneEvents(tx: Tx, throughSeq: number): Promise<number> {
  return tx.$executeRaw(Prisma.sql`
    DELETE FROM "ChangeEvent" WHERE "seq" IN (
      SELECT e."seq" FROM "ChangeEvent" e
      WHERE e."seq" <= ${throughSeq} AND EXISTS (
        SELECT 1 FROM "ChangeEvent" n
        WHERE n."entityType" = e."entityType" AND n."entityId" = e."entityId" AND n."seq" > e."seq"
          AND NOT EXISTS (SELECT 1 FROM "Snapshot" s WHERE s."seq" >= e."seq" AND s."seq" < n."seq")
      )
    )`);
}

export function applyPolicy(ctx: ServiceContext, now = new Date()): Promise<PruneResult> {
  return write(ctx, async (tx) => {
    const row = await tx.retentionPolicy.findUnique({ where: { id: POLICY_ID } });
    const policy: Policy = { maxAgeDays: row?.maxAgeDays ?? null, maxEvents: row?.maxEvents ?? null, updatedAt: row?.updatedAt ?? null };
    const { seq, countSeq, expiredBefore } = await horizon(tx, policy, now);
    if (seq === 0 && !expiredBefore) return { result: { throughSeq: 0, prunedEvents: 0, deletedSnapshots: [] }, changes: [] };
    const expired = await tx.snapshot.findMany({
      where: {
        pinned: false,
        OR: [...(countSeq > 0 ? [{ seq: { lte: countSeq } }] : []), ...(expiredBefore ? [{ takenAt: { lt: expiredBefore } }] : [])],
      },
      orderBy: { seq: 'asc' },
    });
    await tx.snapshot.deleteMany({ where: { id: { in: expired.map((s) => s.id) } } });
    const prunedEvents = seq > 0 ? await pruneEvents(tx, seq) : 0;
    const result = { throughSeq: seq, prunedEvents, deletedSnapshots: expired.map((s) => s.id) };
    return {
      result,
      changes: [
        ...expired.map((before) => ({ entityType: 'Snapshot', entityId: before.id, action: 'deleted' as const, before })),
        { entityType: 'RetentionPolicy', entityId: POLICY_ID, action: 'pruned' as const, after: result },
      ],
    };
  });
}
