// Imports and exports over HTTP (the CLI's `import` / `export`):
//   POST /apis/import/v1/{format}[?dryRun=true]   body: the document, streamed
//   POST /apis/import/v1/smd?source=<SMD URL>      pull from a running SMD instead of a body
//   GET  /apis/export/v1/{format}                  the live inventory, streamed
// One transaction per import; a dry run answers the diff (the first MAX_DIFF changes). The body
// is read as it arrives, never past --max-import-body-bytes (the app bounds it: a 413 beyond). One
// import at a time per database: a second is a 409 whose `code` is IMPORT_IN_PROGRESS.
import { PassThrough, Readable } from 'node:stream';
import { ValidationError } from '../../domain/errors.js';
import { type ChangeSummary, summarizeChange } from '../../interop/change-summary.js';
import { exportInventory, importInventory } from '../../interop/index.js';
import { type ImportSource, textSource, urlSource } from '../../interop/source.js';
import { ImportInProgressError } from '../../services/core/index.js';
import { problemBehaviour } from '../http/problem-behaviour.js';
import type { QueryParams } from '../http/query.js';
import { json, problem } from '../http/respond.js';
import { type FamilyBehaviour, RestRouter } from '../http/router.js';

export const IMPORT_PREFIX = '/apis/import/v1';
export const EXPORT_PREFIX = '/apis/export/v1';
const MAX_DIFF = 10_000;
const STATUS = { BAD_USER_INPUT: 422, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412 } as const;

function flag(query: QueryParams, name: string): boolean {
  const value = query.get(name);
  if (value === undefined || value === 'false') return false;
  if (value === '' || value === 'true') return true;
  throw new ValidationError(name, `must be true or false (got "${value}")`);
}

function sourceOf(request: Request, query: QueryParams): ImportSource {
  const pull = query.get('source');
  if (pull !== undefined) {
    let url: URL;
    try {
      url = new URL(pull);
    } catch {
      throw new ValidationError('source', `"${pull}" is not a URL`);
    }
    if (!/^https?:$/.test(url.protocol)) throw new ValidationError('source', 'must be an http(s) URL');
    return urlSource(url);
  }
  if (!request.body) return textSource('request body', '');
  const body = request.body;
  return { name: 'request body', open: () => Readable.from(chunksOf(body), { objectMode: false }) };
}

/**
 * The chunks of a body stream, read through its reader: served over HTTP, the body is the
 * server adapter's own ReadableStream, which Node's Readable.fromWeb refuses (a TypeError).
 */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) yield read.value;
  } finally {
    reader.releaseLock();
  }
}

/** The family's problems, with a code that tells "another import is running" from other conflicts. */
function importBehaviour(): FamilyBehaviour {
  const plain = problemBehaviour('import API', STATUS);
  return {
    ...plain,
    onError: (error, req) =>
      error instanceof ImportInProgressError ? problem(409, error.message, { code: 'IMPORT_IN_PROGRESS' }) : plain.onError(error, req),
  };
}

export function createImportRouter(): RestRouter {
  const router = new RestRouter(IMPORT_PREFIX, importBehaviour(), 'import');
  router.post('/:format', async ({ request, params, query, ctx }) => {
    const dryRun = flag(query, 'dryRun');
    const diff: ChangeSummary[] = [];
    const report = await importInventory(ctx.service, params.format ?? '', sourceOf(request, query), {
      dryRun,
      onChange: dryRun ? (change) => void (diff.length < MAX_DIFF && diff.push(summarizeChange(change))) : undefined,
    });
    return json({ ...report, ...(dryRun ? { diff, diffTruncated: report.changes > diff.length } : {}) });
  });
  return router;
}

export function createExportRouter(): RestRouter {
  const router = new RestRouter(EXPORT_PREFIX, problemBehaviour('export API', STATUS), 'import');
  router.get('/:format', async ({ params, ctx }) => {
    const out = new PassThrough();
    // An unknown format throws here, before any byte is sent; a failure mid-way cuts the stream.
    exportInventory(ctx.service.db, params.format ?? '', out).then(
      () => out.end(),
      (error: unknown) => {
        ctx.logger.error({ err: error, format: params.format }, 'export failed mid-way');
        out.destroy(error as Error);
      },
    );
    return new Response(Readable.toWeb(out) as ReadableStream, { headers: { 'content-type': 'application/json' } });
  });
  return router;
}
