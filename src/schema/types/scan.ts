// Collection API scans in GraphQL: the proposed diff of a scan, the scans waiting for review, and
// approving or rejecting one (services/scans). The diff's entries are JSON as the REST diff
// (GET /apis/collection/v1/scans/{id}/diff) shows them: creates, updates field by field, moves, removals.
import { approveScan, findScanDiff, rejectScan, type ScanDiffView } from '../../services/scans/index.js';
import { builder } from '../builder.js';

const SCAN_LIST_CEILING = 200;

const ScanRef = builder.objectRef<ScanDiffView | ScanSummary>('Scan').implement({
  description: 'Discovered hardware matched against the live inventory: a proposed diff, applied only when approved.',
  fields: (t) => ({
    id: t.id({ resolve: (scan) => ('scanId' in scan ? scan.scanId : scan.id) }),
    status: t.exposeString('status', { description: 'proposed, applied or rejected.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    approvedAt: t.expose('approvedAt', { type: 'DateTime', nullable: true }),
    creates: t.field({
      type: ['JSON'],
      description: 'Devices approval creates.',
      resolve: (scan, _a, ctx) => diffOf(scan, ctx).then((d) => d.creates),
    }),
    updates: t.field({
      type: ['JSON'],
      description: 'Devices changed, field by field.',
      resolve: (scan, _a, ctx) => diffOf(scan, ctx).then((d) => d.updates),
    }),
    moves: t.field({
      type: ['JSON'],
      description: 'Devices moved to another parent.',
      resolve: (scan, _a, ctx) => diffOf(scan, ctx).then((d) => d.moves),
    }),
    removals: t.field({
      type: ['JSON'],
      description: 'Live children of scanned devices the scan no longer reports.',
      resolve: (scan, _a, ctx) => diffOf(scan, ctx).then((d) => d.removals),
    }),
  }),
});

interface ScanSummary {
  id: string;
  status: string;
  createdAt: Date;
  approvedAt: Date | null;
}

/** A listed scan carries no diff (it can be large); its diff is read when a field asks for it. */
function diffOf(scan: ScanDiffView | ScanSummary, ctx: { service: Parameters<typeof findScanDiff>[0] }): Promise<ScanDiffView> {
  return 'scanId' in scan ? Promise.resolve(scan) : findScanDiff(ctx.service, scan.id);
}

builder.queryFields((t) => ({
  scan: t.field({
    type: ScanRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const found = await ctx.db.scan.findUnique({ where: { id: String(args.id) }, omit: { payload: true, diff: true } });
      return found ? findScanDiff(ctx.service, found.id) : null;
    },
  }),
  scans: t.field({
    type: [ScanRef],
    description: `Scans, newest first (at most ${SCAN_LIST_CEILING}).`,
    args: {
      status: t.arg.string({ required: false, description: 'proposed, applied or rejected; omit for all.' }),
      first: t.arg.int({ defaultValue: 50 }),
    },
    resolve: (_root, args, ctx) =>
      ctx.db.scan.findMany({
        where: args.status ? { status: args.status } : {},
        select: { id: true, status: true, createdAt: true, approvedAt: true },
        orderBy: { createdAt: 'desc' },
        take: Math.max(0, Math.min(args.first ?? 50, SCAN_LIST_CEILING)),
      }),
  }),
}));

builder.mutationFields((t) => ({
  approveScan: t.field({
    type: ScanRef,
    description:
      'Applies the whole proposed diff in one transaction; a device changed since the scan, or a second approval, is a CONFLICT.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await approveScan(ctx.service, String(args.id));
      return findScanDiff(ctx.service, String(args.id));
    },
  }),
  rejectScan: t.field({
    type: ScanRef,
    description: 'Closes a proposed scan without applying anything; a scan no longer proposed is a CONFLICT.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => rejectScan(ctx.service, String(args.id)),
  }),
}));
