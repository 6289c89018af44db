// The Collection API's scans: a discovered hardware payload is matched against the live
// inventory into a proposed diff (stored, not applied); approval applies the whole diff in
// one transaction, once.
import { randomUUID } from 'node:crypto';
import { insertRows } from '../../db/bulk-insert.js';
import { engineOf, type Prisma } from '../../db/client.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import { type ReadSource, readerOf } from '../inventory/interface-queries.js';
import { applyScanDiff } from './apply.js';
import type { ScanDiff } from './diff.js';
import { proposeScanDiff } from './matching.js';
import { type OperationView, operationView, recordFinishedOperation } from './operation.js';
import { parseScanPayload } from './payload.js';

const ENTITY = 'Scan';
const PROPOSED = 'proposed';
/** A scan's row without its payload: megabytes for a large scan, and needed by no reader. */
const WITHOUT_PAYLOAD = { payload: true } as const;

export interface ScanDiffView extends ScanDiff {
  scanId: string;
  status: string;
  createdAt: Date;
  approvedAt: Date | null;
}

/** The scan's row without its payload (large, and already in the change log of its devices). */
const summary = (scan: { id: string; source: string; status: string; createdAt: Date; approvedAt: Date | null }) => ({
  id: scan.id,
  source: scan.source,
  status: scan.status,
  createdAt: scan.createdAt,
  approvedAt: scan.approvedAt,
});

/** Stores the scan with its proposed diff; answers the finished scan operation. */
export function submitScan(ctx: ServiceContext, payload: unknown): Promise<OperationView> {
  const items = parseScanPayload(payload);
  const startTime = new Date();
  return write(ctx, async (tx) => {
    const diff = await proposeScanDiff(tx, items);
    const scan = { id: randomUUID(), source: ctx.source, status: PROPOSED, createdAt: startTime, approvedAt: null };
    // One raw INSERT: Prisma's create walks a 10,000-device payload and diff value by value (~1 s).
    await insertRows(
      tx,
      engineOf(tx),
      'Scan',
      [{ ...scan, payload: payload as Prisma.InputJsonValue, diff: diff as unknown as Prisma.InputJsonObject }],
      startTime,
    );
    const operation = await recordFinishedOperation(tx, `scan-${scan.id}`, 'scan', 'ScanMetadata', { scanId: scan.id }, startTime);
    return {
      result: operationView(operation),
      changes: [{ entityType: ENTITY, entityId: scan.id, action: 'created', after: summary(scan) }],
    };
  });
}

export async function findScanDiff(source: ReadSource, id: string): Promise<ScanDiffView> {
  const scan = await readerOf(source).scan.findUnique({ where: { id }, omit: WITHOUT_PAYLOAD });
  if (!scan) throw new NotFoundError(ENTITY, id);
  return {
    scanId: scan.id,
    status: scan.status,
    createdAt: scan.createdAt,
    approvedAt: scan.approvedAt,
    ...(scan.diff as unknown as ScanDiff),
  };
}

/** Applies the scan's diff once; a second approval is a 409. */
export function approveScan(ctx: ServiceContext, id: string): Promise<OperationView> {
  const startTime = new Date();
  return write(ctx, async (tx) => {
    const before = await tx.scan.findUnique({ where: { id }, omit: WITHOUT_PAYLOAD });
    if (!before) throw new NotFoundError(ENTITY, id);
    // The conditional update also stops a concurrent approval of the same scan.
    const claimed = await tx.scan.updateMany({ where: { id, status: PROPOSED }, data: { status: 'applied', approvedAt: startTime } });
    if (claimed.count === 0) throw new ConflictError('status', `scan ${id} is ${before.status}, not proposed: it was already approved`);
    const applied = await applyScanDiff(tx, before.diff as unknown as ScanDiff);
    const after = { ...before, status: 'applied', approvedAt: startTime };
    const operation = await recordFinishedOperation(
      tx,
      `approve-${id}`,
      'approve',
      'ApproveMetadata',
      { scanId: id, ...applied.counts },
      startTime,
    );
    return {
      result: operationView(operation),
      changes: [
        ...applied.changes,
        { entityType: ENTITY, entityId: id, action: 'updated', before: summary(before), after: summary(after) },
      ],
    };
  });
}

/** Closes a proposed scan without applying it; a scan already approved or rejected is a 409. */
export function rejectScan(ctx: ServiceContext, id: string): Promise<ScanDiffView> {
  return write(ctx, async (tx) => {
    const before = await tx.scan.findUnique({ where: { id }, omit: WITHOUT_PAYLOAD });
    if (!before) throw new NotFoundError(ENTITY, id);
    const claimed = await tx.scan.updateMany({ where: { id, status: PROPOSED }, data: { status: 'rejected' } });
    if (claimed.count === 0)
      throw new ConflictError('status', `scan ${id} is ${before.status}, not proposed: it can no longer be rejected`);
    const after = { ...before, status: 'rejected' };
    return {
      result: { scanId: id, status: 'rejected', createdAt: before.createdAt, approvedAt: null, ...(before.diff as unknown as ScanDiff) },
      changes: [{ entityType: ENTITY, entityId: id, action: 'updated', before: summary(before), after: summary(after) }],
    };
  });
}
