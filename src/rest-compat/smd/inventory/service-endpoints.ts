// /Inventory/ServiceEndpoints: the Redfish services (UpdateService, EventService …) found behind
// each Redfish endpoint, keyed by service type and endpoint xname.
import {
  deleteAllServiceEndpoints,
  deleteServiceEndpoint,
  findServiceEndpoint,
  listServiceEndpoints,
  type ServiceEndpointView,
} from '../../../services/smd/index.js';
import { json } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import { asSmd, deletedCount, message, type Negatable, negatable, smdXname } from './common.js';

/** SMD's sm.ServiceEndpoint JSON: RedfishURL is the endpoint's FQDN + OdataID. */
export function serviceEndpointJson(row: ServiceEndpointView) {
  const endpointFqdn = row.redfishEndpoint.fqdn ?? '';
  const out: Record<string, unknown> = { RedfishEndpointID: row.redfishEndpoint.xname, RedfishType: row.redfishType };
  if (row.redfishSubtype) out.RedfishSubtype = row.redfishSubtype;
  Object.assign(out, {
    UUID: row.uuid ?? '',
    OdataID: row.odataId,
    RedfishEndpointFQDN: endpointFqdn,
    RedfishURL: `${endpointFqdn}${row.odataId}`,
  });
  const info = row.serviceInfo as Record<string, unknown> | null;
  if (info && Object.keys(info).length > 0) out.ServiceInfo = info;
  return out;
}

const NO_SUCH = 'no such service under redfish endpoint.';
const alphaNum = (v: string) => (/^[A-Za-z0-9]+$/.test(v) ? v : undefined);

export function mountServiceEndpointRoutes(router: RestRouter): void {
  const path = '/Inventory/ServiceEndpoints';

  const list = async (services: Negatable | undefined, redfishEps: string[], db: Parameters<typeof listServiceEndpoints>[0]) => {
    const filter = { services, redfishEndpoints: negatable(redfishEps, smdXname, 'Argument was not a valid xname ID') };
    return json({ ServiceEndpoints: (await listServiceEndpoints(db, filter)).map(serviceEndpointJson) });
  };

  router.get(path, ({ query, ctx }) =>
    list(negatable(query.all('service'), alphaNum, 'Argument was not a valid HMS Type'), query.all('redfish_ep'), ctx.service),
  );

  router.delete(path, async ({ ctx }) => deletedCount(await deleteAllServiceEndpoints(ctx.service)));

  router.get(`${path}/:service`, ({ params, query, ctx }) =>
    list({ in: [params.service ?? ''], notIn: [] }, query.all('redfish_ep'), ctx.service),
  );

  router.get(`${path}/:service/RedfishEndpoints/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    if (!xname) throw new SmdError(400, 'Argument was not a valid xname ID');
    const row = await findServiceEndpoint(ctx.service, params.service ?? '', xname);
    if (!row) throw new SmdError(404, NO_SUCH);
    return json(serviceEndpointJson(row));
  });

  router.delete(`${path}/:service/RedfishEndpoints/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    if (!xname) throw new SmdError(400, 'Argument was not a valid xname ID');
    const row = await findServiceEndpoint(ctx.service, params.service ?? '', xname);
    if (!row) throw new SmdError(404, NO_SUCH);
    await deleteServiceEndpoint(ctx.service, xname, row.redfishType).catch((e) => {
      throw asSmd(e, { NOT_FOUND: NO_SUCH });
    });
    return message('deleted 1 entry');
  });
}
