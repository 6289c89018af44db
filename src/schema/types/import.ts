// Imports and exports in GraphQL: the same formats and rules as the CLI and REST
// (src/interop); a dry run answers the diff and writes nothing.
import type { ChangeSummary } from '../../interop/change-summary.js';
import { summarizeChange } from '../../interop/change-summary.js';
import { exportToString, importInventory } from '../../interop/index.js';
import { textSource } from '../../interop/source.js';
import type { ImportReport } from '../../services/core/index.js';
import { builder } from '../builder.js';

/** A dry run's diff is answered up to this many changes; `changes` gives the full count. */
const MAX_DIFF = 10_000;

const ChangeSummaryRef = builder.objectRef<ChangeSummary>('ImportChange').implement({
  description: 'One change an import made (or, on a dry run, would make).',
  fields: (t) => ({
    entityType: t.exposeString('entityType'),
    entityId: t.exposeString('entityId'),
    action: t.exposeString('action'),
    fields: t.field({
      type: 'JSON',
      description: 'Fields that differ: [{ field, from, to }] (empty for created/deleted).',
      resolve: (c) => c.fields,
    }),
  }),
});

const ImportReportRef = builder.objectRef<ImportReport & { diff: ChangeSummary[] }>('ImportReport').implement({
  fields: (t) => ({
    dryRun: t.exposeBoolean('dryRun'),
    records: t.exposeInt('records', { description: 'Records read from the document.' }),
    changes: t.exposeInt('changes', { description: 'Changes made (or that a dry run would make).' }),
    counts: t.field({
      type: 'JSON',
      description: 'Changes per entity type and action: { Device: { created: 10 } }.',
      resolve: (r) => r.counts,
    }),
    seconds: t.exposeFloat('seconds'),
    diff: t.field({
      type: [ChangeSummaryRef],
      description: `On a dry run, the changes (the first ${MAX_DIFF}); empty otherwise.`,
      resolve: (r) => r.diff,
    }),
  }),
});

builder.mutationField('importInventory', (t) =>
  t.field({
    type: ImportReportRef,
    description:
      'Imports a whole document in one transaction: idempotent, all or nothing. Formats as for `inventory-gateway import --help`.',
    args: {
      format: t.arg.string({ required: true }),
      document: t.arg.string({ required: true, description: 'The file content (JSON).' }),
      dryRun: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      const diff: ChangeSummary[] = [];
      const dryRun = args.dryRun ?? false;
      const report = await importInventory({ ...ctx.service, source: 'import' }, args.format, textSource('document', args.document), {
        dryRun,
        onChange: dryRun ? (change) => void (diff.length < MAX_DIFF && diff.push(summarizeChange(change))) : undefined,
      });
      return { ...report, diff };
    },
  }),
);

builder.queryField('exportInventory', (t) =>
  t.string({
    description: 'The live inventory as one document in a format (as for `inventory-gateway export --help`).',
    args: { format: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => exportToString(ctx.db, args.format),
  }),
);
