// RFD 112's Collection API under /apis/collection/v1: scans of discovered hardware, their
// diff reports, approval, and the Operation resources both return.
//   POST /scans                  discovered devices → 201 Operation (result.response.scanId)
//   GET  /scans/{scanId}/diff    {creates, updates, moves, removals}
//   POST /scans/{scanId}/approve applies the diff → 200 Operation; 409 when already applied
//   GET  /operations/{id}        "scan-…", "approve-…" (the "operations/" prefix optional)
import { approveScan, findOperation, findScanDiff, submitScan } from '../../services/scans/index.js';
import { json, readJson } from '../http/respond.js';
import { RestRouter } from '../http/router.js';
import { collectionBehaviour } from './errors.js';

export const COLLECTION_PREFIX = '/apis/collection/v1';

export function createCollectionRouter(): RestRouter {
  return new RestRouter(COLLECTION_PREFIX, collectionBehaviour, 'scan')
    .post('/scans', async ({ request, ctx }) => json(await submitScan(ctx.service, await readJson(request)), 201))
    .get('/scans/:scanId/diff', async ({ params, ctx }) => json(await findScanDiff(ctx.service, params.scanId as string)))
    .post('/scans/:scanId/approve', async ({ params, ctx }) => json(await approveScan(ctx.service, params.scanId as string)))
    .get('/operations/*', async ({ params, ctx }) => json(await findOperation(ctx.service, params['*'] as string)));
}
