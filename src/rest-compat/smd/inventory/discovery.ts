// /Inventory/Discover and /Inventory/DiscoveryStatus. The gateway does not crawl BMCs (the
// status record's Details say so); a request is checked against the known endpoints and
// recorded, and answered as SMD answers: 200 with the status record's URI.
import { InventoryError } from '../../../domain/errors.js';
import { type DiscoveryStatusView, findDiscoveryStatus, listDiscoveryStatus, recordDiscoveryRequest } from '../../../services/smd/index.js';
import { BodyError, json, readJson } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import { type Body, bool, INVENTORY, strings, timestamp } from './common.js';

function statusJson(row: DiscoveryStatusView) {
  const out: Record<string, unknown> = { ID: row.id, Status: row.status, LastUpdateTime: timestamp(row.lastUpdateTime) };
  if (row.details != null) out.Details = row.details;
  return out;
}

export function mountDiscoveryRoutes(router: RestRouter): void {
  router.get('/Inventory/DiscoveryStatus', async ({ ctx }) => json((await listDiscoveryStatus(ctx.service)).map(statusJson)));

  router.get('/Inventory/DiscoveryStatus/:id', async ({ params, ctx }) => {
    const raw = params.id ?? '';
    if (!/^\d+$/.test(raw) || Number(raw) > 4294967295) throw new SmdError(400, 'DiscoveryStatus ID not an unsigned integer');
    const row = await findDiscoveryStatus(ctx.service, Number(raw));
    if (!row) throw new SmdError(404, 'no such DiscoveryStatus ID.');
    return json(statusJson(row));
  });

  router.post('/Inventory/Discover', async ({ request, ctx }) => {
    let body: Body;
    let xnames: string[] | undefined;
    let force: boolean | undefined;
    try {
      const value = await readJson(request);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BodyError('not an object');
      body = value as Body;
      xnames = strings(body, 'xnames');
      force = bool(body, 'force');
    } catch (error) {
      if (error instanceof BodyError || error instanceof SmdError) throw new SmdError(400, 'POST body was not understood');
      throw error;
    }
    const row = await recordDiscoveryRequest(ctx.service, { xnames, force }).catch((error) => {
      if (error instanceof InventoryError && error.code === 'NOT_FOUND') {
        const missing = /"([^"]*)"/.exec(error.message)?.[1];
        throw new SmdError(404, error.field === 'xnames' ? `No such RedfishEndpoint: ${missing}` : 'RedfishEndpoints collection is empty');
      }
      throw error;
    });
    return json([{ URI: `${INVENTORY}/DiscoveryStatus/${row.id}` }]);
  });
}
