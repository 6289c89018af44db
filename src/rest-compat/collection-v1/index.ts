// RFD 112's Collection API under /apis/collection/v1: scans of discovered hardware, their
// diff reports, approval, and the Operation resources both return.
//   POST /scans                  discovered devices → 201 Operation (result.response.scanId);
//                                or {targets, policy?} → 202 Operation of a crawl of BMCs, running
//   GET  /scans/{scanId}/diff    {creates, updates, moves, removals}
//   POST /scans/{scanId}/approve applies the diff → 200 Operation; 409 when already applied
//   GET  /operations/{id}        "scan-…", "approve-…", "crawl-…" (the "operations/" prefix optional)
//   PUT|GET|DELETE /credentials[/{name}]   named BMC credentials for crawls of addresses (write-only passwords)
import {
  type BmcCredentialView,
  deleteBmcCredential,
  isTargetScan,
  listBmcCredentials,
  putBmcCredential,
  startScanCrawl,
} from '../../services/discovery/index.js';
import { approveScan, findOperation, findScanDiff, submitScan } from '../../services/scans/index.js';
import { json, noContent, readJson } from '../http/respond.js';
import { RestRouter } from '../http/router.js';
import { collectionBehaviour } from './errors.js';

export const COLLECTION_PREFIX = '/apis/collection/v1';

const credentialJson = (c: BmcCredentialView) => ({
  name: c.name,
  username: c.username,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export function createCollectionRouter(): RestRouter {
  return new RestRouter(COLLECTION_PREFIX, collectionBehaviour, 'scan')
    .post('/scans', async ({ request, ctx }) => {
      const body = await readJson(request);
      if (isTargetScan(body)) return json(await startScanCrawl(ctx.service, body, ctx.logger), 202);
      return json(await submitScan(ctx.service, body), 201);
    })
    .get('/scans/:scanId/diff', async ({ params, ctx }) => json(await findScanDiff(ctx.service, params.scanId as string)))
    .post('/scans/:scanId/approve', async ({ params, ctx }) => json(await approveScan(ctx.service, params.scanId as string)))
    .get('/operations/*', async ({ params, ctx }) => json(await findOperation(ctx.service, params['*'] as string)))
    .get('/credentials', async ({ ctx }) => json((await listBmcCredentials(ctx.service)).map(credentialJson)))
    .put('/credentials/:name', async ({ request, params, ctx }) => {
      const { credential, created } = await putBmcCredential(ctx.service, params.name as string, (await readJson(request)) as object);
      return json(credentialJson(credential), created ? 201 : 200);
    })
    .delete('/credentials/:name', async ({ params, ctx }) => {
      await deleteBmcCredential(ctx.service, params.name as string);
      return noContent();
    });
}
