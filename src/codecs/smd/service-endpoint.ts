// SMD service endpoints (/Inventory/ServiceEndpoints, sm.ServiceEndpoint; the Fabrica
// ServiceEndpoint spec): the Redfish services (UpdateService, EventService …) behind each
// Redfish endpoint, keyed by RedfishType + "-" + RedfishEndpointID.
import type { ServiceEndpointInput, ServiceEndpointView } from '../../services/smd/index.js';
import { SMD_TEXTS } from './errors.js';
import { emptyAsNull, type FieldNames, smdObject, withoutUndefined } from './fields.js';
import { get, type Obj } from './go-json.js';
import { negatable, type QueryValues, smdXname } from './values.js';

export const SERVICE_ENDPOINT_FIELD_NAMES: FieldNames = {
  redfishEndpointXname: 'RedfishEndpointID',
  redfishType: 'RedfishType',
  redfishSubtype: 'RedfishSubtype',
  uuid: 'UUID',
  odataId: 'OdataID',
  redfishUrl: 'RedfishURL',
  serviceInfo: 'ServiceInfo',
  input: 'spec',
};

export const SERVICE_ENDPOINT_TEXTS = { noSuch: 'no such service under redfish endpoint.' } as const;

/** SMD's sm.ServiceEndpoint JSON: RedfishURL is the endpoint's FQDN + OdataID. */
export function serviceEndpointJson(row: ServiceEndpointView): Obj {
  const endpointFqdn = row.redfishEndpoint.fqdn ?? '';
  const out: Obj = { RedfishEndpointID: row.redfishEndpoint.xname, RedfishType: row.redfishType };
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

export const serviceEndpointsJson = (rows: readonly ServiceEndpointView[]) => ({ ServiceEndpoints: rows.map(serviceEndpointJson) });

/**
 * A ServiceEndpoint spec as a service input, lenient: like component endpoints, /hsm/v2 has
 * no POST for them. RedfishEndpointFQDN is derived and ignored.
 */
export function decodeServiceEndpoint(value: unknown, at = 'input'): ServiceEndpointInput {
  const body = smdObject(value, at);
  const text = (key: string) => emptyAsNull(get(body, key)) as string | null | undefined;
  return withoutUndefined({
    redfishEndpointXname: get(body, 'RedfishEndpointID') as string,
    redfishType: get(body, 'RedfishType') as string,
    odataId: get(body, 'OdataID') as string,
    redfishSubtype: text('RedfishSubtype'),
    uuid: text('UUID'),
    redfishUrl: text('RedfishURL'),
    serviceInfo: get(body, 'ServiceInfo') as Record<string, unknown> | null | undefined,
  });
}

const alphaNum = (v: string) => (/^[A-Za-z0-9]+$/.test(v) ? v : undefined);

/** GET's query parameters `service` (or the service the path names) and `redfish_ep`, each `!`-negatable. */
export function serviceEndpointFilterFromQuery(query: QueryValues, pathService?: string) {
  return {
    services:
      pathService === undefined ? negatable(query.all('service'), alphaNum, SMD_TEXTS.notAnHmsType) : { in: [pathService], notIn: [] },
    redfishEndpoints: negatable(query.all('redfish_ep'), smdXname, SMD_TEXTS.notAnXnameId),
  };
}
