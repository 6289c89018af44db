// SMD ServiceEndpoint request bodies (Fabrica ServiceEndpoint spec) → the Redfish service. Its
// natural key is RedfishType + "-" + RedfishEndpointID. The JSON a service endpoint is shown as
// is SMD's serviceEndpointJson (rest-compat/smd/inventory/service-endpoints.ts).
import type { ServiceEndpointInput } from '../../services/smd/index.js';
import { emptyAsNull, type FieldNames, pick, smdObject, withoutUndefined } from './fields.js';

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

/** An SMD ServiceEndpoint body as a service input. RedfishEndpointFQDN is derived and ignored. */
export function serviceEndpointInputFromSmd(value: unknown, field = 'input'): ServiceEndpointInput {
  const body = smdObject(value, field);
  const text = (key: string) => emptyAsNull(pick(body, key)) as string | null | undefined;
  return withoutUndefined({
    redfishEndpointXname: pick(body, 'RedfishEndpointID') as string,
    redfishType: pick(body, 'RedfishType') as string,
    odataId: pick(body, 'OdataID') as string,
    redfishSubtype: text('RedfishSubtype'),
    uuid: text('UUID'),
    redfishUrl: text('RedfishURL'),
    serviceInfo: pick(body, 'ServiceInfo') as Record<string, unknown> | null | undefined,
  });
}
