// Subscription.scanOperation: a crawl's Operation (RFD 112) as it progresses — targets done
// and failed, percent, each failure — until it is done. Progress reaches this replica's
// subscribers at once; the Operation row is re-read every second as well, which is how a
// subscriber hears a crawl that another replica runs.
import { nextProgress, TARGET_ERROR_KINDS, type TargetFailure } from '../../services/discovery/index.js';
import { findOperation } from '../../services/scans/index.js';
import { builder } from '../builder.js';

interface OperationView {
  name: string;
  done: boolean;
  metadata: unknown;
  result?: unknown;
}

interface CrawlMetadata {
  state?: string;
  progressPercent?: number;
  targetsTotal?: number;
  targetsDone?: number;
  targetsFailed?: number;
  failures?: TargetFailure[];
}

const REREAD_MS = 1000;
const meta = (op: OperationView) => (op.metadata ?? {}) as CrawlMetadata;

const TargetErrorKind = builder.enumType('TargetErrorKind', {
  description: 'Why a crawl could not read one target.',
  values: Object.fromEntries(TARGET_ERROR_KINDS.map((kind) => [kind.toUpperCase().replace(/-/g, '_'), { value: kind }])),
});

const TargetFailureRef = builder.objectRef<TargetFailure>('TargetFailure').implement({
  description: 'One target a crawl could not read, and why.',
  fields: (t) => ({
    target: t.exposeString('target', { description: 'The address read (host or host:port).' }),
    xname: t.exposeString('xname', { nullable: true, description: 'The RedfishEndpoint it is, when it is one.' }),
    kind: t.field({ type: TargetErrorKind, resolve: (f) => f.kind }),
    message: t.exposeString('message'),
  }),
});

const ScanOperationRef = builder.objectRef<OperationView>('ScanOperation').implement({
  description: "A crawl's Operation (RFD 112's long-running operation) at one moment.",
  fields: (t) => ({
    name: t.exposeString('name', { description: '"operations/crawl-…", as GET /apis/collection/v1/operations/{name} answers it.' }),
    done: t.exposeBoolean('done'),
    state: t.string({ nullable: true, description: 'RUNNING, DONE or FAILED.', resolve: (op) => meta(op).state ?? null }),
    progressPercent: t.int({ resolve: (op) => meta(op).progressPercent ?? 0 }),
    targetsTotal: t.int({ resolve: (op) => meta(op).targetsTotal ?? 0 }),
    targetsDone: t.int({ description: 'Targets finished, failed ones included.', resolve: (op) => meta(op).targetsDone ?? 0 }),
    targetsFailed: t.int({ resolve: (op) => meta(op).targetsFailed ?? 0 }),
    failures: t.field({ type: [TargetFailureRef], resolve: (op) => meta(op).failures ?? [] }),
    scanId: t.string({
      nullable: true,
      description: 'The scan proposed when a Collection crawl is done.',
      resolve: (op) => ((op.result as { response?: { scanId?: string } } | undefined)?.response?.scanId ?? null) as string | null,
    }),
    result: t.field({ type: 'JSON', nullable: true, description: 'The response or error, once done.', resolve: (op) => op.result ?? null }),
  }),
});

/** The operation each time it changes, ending with the done one. */
async function* operationUpdates(db: Parameters<typeof findOperation>[0], name: string, signal?: AbortSignal) {
  const id = name.replace(/^operations\//, '');
  let last = '';
  while (!signal?.aborted) {
    const operation = await findOperation(db, id);
    const seen = JSON.stringify(operation);
    if (seen !== last) {
      last = seen;
      yield operation;
    }
    if (operation.done) return;
    await nextProgress(id, REREAD_MS, signal);
  }
}

builder.subscriptionField('scanOperation', (t) =>
  t.field({
    type: ScanOperationRef,
    description:
      'A crawl (POST /apis/collection/v1/scans with targets, or SMD Discover) as it progresses: its Operation each time it changes, until done.',
    args: { name: t.arg.string({ required: true, description: 'The Operation name: "operations/crawl-…" or "crawl-…".' }) },
    subscribe: (_root, args, ctx) => operationUpdates(ctx.db, args.name, (ctx as { request?: Request }).request?.signal),
    resolve: (operation) => operation,
  }),
);
