// /Inventory/Discover and /Inventory/DiscoveryStatus. Discover crawls the named Redfish
// endpoints (none named: all) in the background and answers at once, as SMD does: 200 with
// the status record's URI; the record says InProgress, then Complete.
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
import { startDiscover } from '../../../services/discovery/index.js';
import { findDiscoveryStatus, listDiscoveryStatus } from '../../../services/smd/index.js';
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
    const row = await startDiscover(ctx.service, decodeDiscover(body), ctx.logger).catch((error) => {
      throw discoverError(error);
    });
    return json([uriJson(`${INVENTORY}/DiscoveryStatus/${row.id}`)]);
  });
}
