// SMD ComponentEndpoint request bodies (Fabrica ComponentEndpoint spec) → the Redfish service.
// The info block is read from the key its endpoint type uses (RedfishSystemInfo for
// ComponentEndpointComputerSystem …). The JSON a component endpoint is shown as is SMD's
// componentEndpointJson (rest-compat/smd/inventory/component-endpoints.ts).
import type { ComponentEndpointInput } from '../../services/smd/index.js';
import { emptyAsNull, type FieldNames, pick, smdObject, withoutUndefined } from './fields.js';

/** The JSON key of each endpoint type's info block. */
export const COMPONENT_ENDPOINT_INFO_KEYS: Readonly<Record<string, string>> = {
  ComponentEndpointChassis: 'RedfishChassisInfo',
  ComponentEndpointComputerSystem: 'RedfishSystemInfo',
  ComponentEndpointManager: 'RedfishManagerInfo',
  ComponentEndpointPowerDistribution: 'RedfishPDUInfo',
  ComponentEndpointOutlet: 'RedfishOutletInfo',
};

/** SMD first keys the info block by the Redfish type. */
const REDFISH_TYPE_INFO_KEYS: Readonly<Record<string, string>> = {
  Chassis: 'RedfishChassisInfo',
  ComputerSystem: 'RedfishSystemInfo',
  Manager: 'RedfishManagerInfo',
  PowerDistribution: 'RedfishPDUInfo',
  Outlet: 'RedfishOutletInfo',
};

const INFO_KEYS = Object.values(COMPONENT_ENDPOINT_INFO_KEYS);

export const COMPONENT_ENDPOINT_FIELD_NAMES: FieldNames = {
  xname: 'ID',
  type: 'Type',
  redfishEndpointXname: 'RedfishEndpointID',
  redfishType: 'RedfishType',
  redfishSubtype: 'RedfishSubtype',
  odataId: 'OdataID',
  componentEndpointType: 'ComponentEndpointType',
  domain: 'Domain',
  fqdn: 'FQDN',
  macAddr: 'MACAddr',
  uuid: 'UUID',
  redfishUrl: 'RedfishURL',
  enabled: 'Enabled',
  info: 'RedfishSystemInfo',
  input: 'spec',
};

/**
 * An SMD ComponentEndpoint body as a service input (ID → xname). The info block is the one
 * under the key of the body's RedfishType, else of its ComponentEndpointType, else the first
 * info key present.
 * RedfishEndpointFQDN is derived and ignored.
 */
export function componentEndpointInputFromSmd(value: unknown, field = 'input'): ComponentEndpointInput {
  const body = smdObject(value, field);
  const text = (key: string) => emptyAsNull(pick(body, key)) as string | null | undefined;
  const type = pick(body, 'ComponentEndpointType');
  const redfishType = pick(body, 'RedfishType');
  const byName = (table: Readonly<Record<string, string>>, name: unknown) =>
    typeof name === 'string' ? Object.entries(table).find(([t]) => t.toLowerCase() === name.toLowerCase())?.[1] : undefined;
  const candidates = [byName(REDFISH_TYPE_INFO_KEYS, redfishType), byName(COMPONENT_ENDPOINT_INFO_KEYS, type), ...INFO_KEYS];
  const infoKey = candidates.find((key) => key !== undefined && pick(body, key) !== undefined);
  return withoutUndefined({
    xname: pick(body, 'ID') as string,
    redfishEndpointXname: pick(body, 'RedfishEndpointID') as string,
    redfishType: redfishType as string,
    odataId: pick(body, 'OdataID') as string,
    componentEndpointType: type as string,
    redfishSubtype: text('RedfishSubtype'),
    domain: text('Domain'),
    fqdn: text('FQDN'),
    macAddr: text('MACAddr'),
    uuid: text('UUID'),
    redfishUrl: text('RedfishURL'),
    enabled: pick(body, 'Enabled') as boolean | undefined,
    info: infoKey ? (pick(body, infoKey) as Record<string, unknown> | null) : undefined,
  });
}
