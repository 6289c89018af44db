// /Inventory/ComponentEndpoints: what discovery found behind each Redfish endpoint (systems,
// managers, chassis, outlets). PCS reads RedfishEndpointFQDN, OdataID and the reset actions
// (often with many `id=`), BSS the FQDN/MACs, remote-console SerialConsole and CommandShell.
// There is no POST: records come from discovery and the RedfishEndpoints payloads.
import {
  componentEndpointFilterFromQuery,
  componentEndpointJson,
  componentEndpointsJson,
  deletedText,
  SMD_TEXTS,
  smdBadRequest,
  smdErrorOf,
  smdNotFound,
  smdXname,
} from '../../../codecs/smd/index.js';
import { deleteComponentEndpointsEmptying, findComponentEndpoint, listComponentEndpoints } from '../../../services/smd/index.js';
import { json } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { message } from '../respond.js';

/** The xname of the path; SMD's 400 when it is none. */
function xnameOf(raw: string | undefined): string {
  const xname = smdXname(raw ?? '');
  if (!xname) throw smdBadRequest(SMD_TEXTS.notAnXnameId);
  return xname;
}

export function mountComponentEndpointRoutes(router: RestRouter): void {
  const path = '/Inventory/ComponentEndpoints';

  router.get(path, async ({ query, ctx }) =>
    json(componentEndpointsJson(await listComponentEndpoints(ctx.service, componentEndpointFilterFromQuery(query)))),
  );

  router.delete(path, async ({ ctx }) => message(deletedText(await deleteComponentEndpointsEmptying(ctx.service))));

  router.get(`${path}/:xname`, async ({ params, ctx }) => {
    const row = await findComponentEndpoint(ctx.service, xnameOf(params.xname));
    if (!row) throw smdNotFound(SMD_TEXTS.noSuchXname);
    return json(componentEndpointJson(row));
  });

  router.delete(`${path}/:xname`, async ({ params, ctx }) => {
    await deleteComponentEndpointsEmptying(ctx.service, xnameOf(params.xname)).catch((error) => {
      throw smdErrorOf(error, { NOT_FOUND: SMD_TEXTS.noSuchXname });
    });
    return message('deleted 1 entry');
  });
}
