// /Inventory/ServiceEndpoints: the Redfish services (UpdateService, EventService …) found behind
// each Redfish endpoint, keyed by service type and endpoint xname.
import {
  deletedText,
  SERVICE_ENDPOINT_TEXTS,
  SMD_TEXTS,
  serviceEndpointFilterFromQuery,
  serviceEndpointJson,
  serviceEndpointsJson,
  smdBadRequest,
  smdErrorOf,
  smdNotFound,
  smdXname,
} from '../../../codecs/smd/index.js';
import {
  deleteAllServiceEndpoints,
  deleteServiceEndpoint,
  findServiceEndpoint,
  listServiceEndpoints,
} from '../../../services/smd/index.js';
import { json } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { message } from '../respond.js';

/** The service endpoint the path names; SMD's 400 for a bad xname, 404 when there is none. */
async function existing({ params, ctx }: RestRequest) {
  const xname = smdXname(params.xname ?? '');
  if (!xname) throw smdBadRequest(SMD_TEXTS.notAnXnameId);
  const row = await findServiceEndpoint(ctx.service, params.service ?? '', xname);
  if (!row) throw smdNotFound(SERVICE_ENDPOINT_TEXTS.noSuch);
  return { xname, row };
}

export function mountServiceEndpointRoutes(router: RestRouter): void {
  const path = '/Inventory/ServiceEndpoints';

  router.get(path, async ({ query, ctx }) =>
    json(serviceEndpointsJson(await listServiceEndpoints(ctx.service, serviceEndpointFilterFromQuery(query)))),
  );

  router.delete(path, async ({ ctx }) => message(deletedText(await deleteAllServiceEndpoints(ctx.service))));

  router.get(`${path}/:service`, async ({ params, query, ctx }) =>
    json(serviceEndpointsJson(await listServiceEndpoints(ctx.service, serviceEndpointFilterFromQuery(query, params.service ?? '')))),
  );

  router.get(`${path}/:service/RedfishEndpoints/:xname`, async (req) => json(serviceEndpointJson((await existing(req)).row)));

  router.delete(`${path}/:service/RedfishEndpoints/:xname`, async (req) => {
    const { xname, row } = await existing(req);
    await deleteServiceEndpoint(req.ctx.service, xname, row.redfishType).catch((error) => {
      throw smdErrorOf(error, { NOT_FOUND: SERVICE_ENDPOINT_TEXTS.noSuch });
    });
    return message('deleted 1 entry');
  });
}
