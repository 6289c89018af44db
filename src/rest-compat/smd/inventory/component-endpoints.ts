// /Inventory/ComponentEndpoints: what discovery found behind each Redfish endpoint (systems,
// managers, chassis, outlets). PCS reads RedfishEndpointFQDN, OdataID and the reset actions
// (often with many `id=`), BSS the FQDN/MACs, remote-console SerialConsole and CommandShell.
// There is no POST: records come from discovery and the RedfishEndpoints payloads.
import {
  type ComponentEndpointView,
  deleteComponentEndpointsEmptying,
  findComponentEndpoint,
  listComponentEndpoints,
} from '../../../services/smd/index.js';
import { json } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import { asSmd, deletedCount, message, negatable, smdType, smdXname } from './common.js';

/** SMD keys each endpoint's info block by its Redfish type. */
const INFO_KEY_BY_REDFISH_TYPE: Record<string, string> = {
  Chassis: 'RedfishChassisInfo',
  ComputerSystem: 'RedfishSystemInfo',
  Manager: 'RedfishManagerInfo',
  PowerDistribution: 'RedfishPDUInfo',
  Outlet: 'RedfishOutletInfo',
};

const INFO_KEY_BY_ENDPOINT_TYPE: Record<string, string> = {
  ComponentEndpointChassis: 'RedfishChassisInfo',
  ComponentEndpointComputerSystem: 'RedfishSystemInfo',
  ComponentEndpointManager: 'RedfishManagerInfo',
  ComponentEndpointPowerDistribution: 'RedfishPDUInfo',
  ComponentEndpointOutlet: 'RedfishOutletInfo',
};

/** SMD's sm.ComponentEndpoint JSON: FQDN is ID.Domain, RedfishURL the endpoint's FQDN + OdataID. */
export function componentEndpointJson(row: ComponentEndpointView) {
  const out: Record<string, unknown> = { ID: row.xname, Type: row.type };
  if (row.domain) Object.assign(out, { Domain: row.domain, FQDN: `${row.xname}.${row.domain}` });
  Object.assign(out, { RedfishType: row.redfishType, RedfishSubtype: row.redfishSubtype ?? '' });
  if (row.macAddr) out.MACAddr = row.macAddr;
  if (row.uuid) out.UUID = row.uuid;
  const endpointFqdn = row.redfishEndpoint.fqdn ?? '';
  Object.assign(out, {
    OdataID: row.odataId,
    RedfishEndpointID: row.redfishEndpoint.xname,
    Enabled: row.enabled,
    RedfishEndpointFQDN: endpointFqdn,
    RedfishURL: `${endpointFqdn}${row.odataId}`,
    ComponentEndpointType: row.componentEndpointType,
  });
  const key = INFO_KEY_BY_REDFISH_TYPE[row.redfishType] ?? INFO_KEY_BY_ENDPOINT_TYPE[row.componentEndpointType];
  if (key) out[key] = row.info ?? {};
  return out;
}

export function mountComponentEndpointRoutes(router: RestRouter): void {
  const path = '/Inventory/ComponentEndpoints';
  const badId = 'bad query param: Argument was not a valid xname ID';

  router.get(path, async ({ query, ctx }) => {
    const filter = {
      ids: negatable(query.all('id'), smdXname, badId),
      redfishEndpoints: negatable(query.all('redfish_ep'), smdXname, badId),
      types: negatable(query.all('type'), smdType, 'bad query param: Argument was not a valid HMS Type'),
      redfishTypes: negatable(
        query.all('redfish_type'),
        (v) => (/^[A-Za-z0-9]+$/.test(v) ? v : undefined),
        'bad query param: Argument was not a valid Redfish type',
      ),
    };
    const rows = await listComponentEndpoints(ctx.service, filter);
    return json({ ComponentEndpoints: rows.map(componentEndpointJson) });
  });

  router.delete(path, async ({ ctx }) => deletedCount(await deleteComponentEndpointsEmptying(ctx.service)));

  router.get(`${path}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    if (!xname) throw new SmdError(400, 'Argument was not a valid xname ID');
    const row = await findComponentEndpoint(ctx.service, xname);
    if (!row) throw new SmdError(404, 'no such xname.');
    return json(componentEndpointJson(row));
  });

  router.delete(`${path}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    if (!xname) throw new SmdError(400, 'Argument was not a valid xname ID');
    await deleteComponentEndpointsEmptying(ctx.service, xname).catch((e) => {
      throw asSmd(e, { NOT_FOUND: 'no such xname.' });
    });
    return message('deleted 1 entry');
  });
}
