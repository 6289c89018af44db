// /Inventory/Discover and /Inventory/DiscoveryStatus. The gateway does not crawl BMCs (the
// status record's Details say so); a request is checked against the known endpoints and
// recorded, and answered as SMD answers: 200 with the status record's URI.
import {
  DISCOVERY_TEXTS,
  decodeDiscover,
  discoverError,
  discoveryStatusIdOf,
  discoveryStatusJson,
  smdBadRequest,
  smdNotFound,
  uriJson,
} from '../../../codecs/smd/index.js';
import { findDiscoveryStatus, listDiscoveryStatus, recordDiscoveryRequest } from '../../../services/smd/index.js';
import { BodyError, json, readJson } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { INVENTORY } from '../prefix.js';

export function mountDiscoveryRoutes(router: RestRouter): void {
  router.get('/Inventory/DiscoveryStatus', async ({ ctx }) => json((await listDiscoveryStatus(ctx.service)).map(discoveryStatusJson)));

  router.get('/Inventory/DiscoveryStatus/:id', async ({ params, ctx }) => {
    const row = await findDiscoveryStatus(ctx.service, discoveryStatusIdOf(params.id ?? ''));
    if (!row) throw smdNotFound(DISCOVERY_TEXTS.noSuchId);
    return json(discoveryStatusJson(row));
  });

  router.post('/Inventory/Discover', async ({ request, ctx }) => {
    // SMD answers any body it cannot decode with one text.
    const body = await readJson(request).catch((error) => {
      throw error instanceof BodyError ? smdBadRequest(DISCOVERY_TEXTS.notUnderstood) : error;
    });
    const row = await recordDiscoveryRequest(ctx.service, decodeDiscover(body)).catch((error) => {
      throw discoverError(error);
    });
    return json([uriJson(`${INVENTORY}/DiscoveryStatus/${row.id}`)]);
  });
}
