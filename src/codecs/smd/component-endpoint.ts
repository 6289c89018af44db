// SMD component endpoints (/Inventory/ComponentEndpoints, sm.ComponentEndpoint; the Fabrica
// ComponentEndpoint spec): what discovery found behind each Redfish endpoint. The info block's
// key follows the Redfish type (RedfishSystemInfo for ComputerSystem …).
import type { ComponentEndpointInput, ComponentEndpointView } from '../../services/smd/index.js';
import { SMD_TEXTS } from './errors.js';
import { emptyAsNull, type FieldNames, smdObject, withoutUndefined } from './fields.js';
import { get, type Obj } from './go-json.js';
import { negatable, type QueryValues, smdType, smdXname } from './values.js';

/** The info block's key by Redfish type (SMD's first choice) … */
const INFO_KEY_BY_REDFISH_TYPE: Readonly<Record<string, string>> = {
  Chassis: 'RedfishChassisInfo',
  ComputerSystem: 'RedfishSystemInfo',
  Manager: 'RedfishManagerInfo',
  PowerDistribution: 'RedfishPDUInfo',
  Outlet: 'RedfishOutletInfo',
};

/** … and by component endpoint type. */
const INFO_KEY_BY_ENDPOINT_TYPE: Readonly<Record<string, string>> = {
  ComponentEndpointChassis: 'RedfishChassisInfo',
  ComponentEndpointComputerSystem: 'RedfishSystemInfo',
  ComponentEndpointManager: 'RedfishManagerInfo',
  ComponentEndpointPowerDistribution: 'RedfishPDUInfo',
  ComponentEndpointOutlet: 'RedfishOutletInfo',
};

const INFO_KEYS = Object.values(INFO_KEY_BY_ENDPOINT_TYPE);

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

/** SMD's sm.ComponentEndpoint JSON: FQDN is ID.Domain, RedfishURL the endpoint's FQDN + OdataID. */
export function componentEndpointJson(row: ComponentEndpointView): Obj {
  const out: Obj = { ID: row.xname, Type: row.type };
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

export const componentEndpointsJson = (rows: readonly ComponentEndpointView[]) => ({ ComponentEndpoints: rows.map(componentEndpointJson) });

/**
 * A ComponentEndpoint spec as a service input (ID → xname), lenient: /hsm/v2 has no POST for
 * them (they come from discovery), so Fabrica specs and SMD dumps are its only writers. The
 * info block is the one under the key of the body's RedfishType, else of its
 * ComponentEndpointType, else the first info key present. RedfishEndpointFQDN is derived and
 * ignored.
 */
export function decodeComponentEndpoint(value: unknown, at = 'input'): ComponentEndpointInput {
  const body = smdObject(value, at);
  const text = (key: string) => emptyAsNull(get(body, key)) as string | null | undefined;
  const type = get(body, 'ComponentEndpointType');
  const redfishType = get(body, 'RedfishType');
  const byName = (table: Readonly<Record<string, string>>, name: unknown) =>
    typeof name === 'string' ? Object.entries(table).find(([t]) => t.toLowerCase() === name.toLowerCase())?.[1] : undefined;
  const candidates = [byName(INFO_KEY_BY_REDFISH_TYPE, redfishType), byName(INFO_KEY_BY_ENDPOINT_TYPE, type), ...INFO_KEYS];
  const infoKey = candidates.find((key) => key !== undefined && get(body, key) !== undefined);
  return withoutUndefined({
    xname: get(body, 'ID') as string,
    redfishEndpointXname: get(body, 'RedfishEndpointID') as string,
    redfishType: redfishType as string,
    odataId: get(body, 'OdataID') as string,
    componentEndpointType: type as string,
    redfishSubtype: text('RedfishSubtype'),
    domain: text('Domain'),
    fqdn: text('FQDN'),
    macAddr: text('MACAddr'),
    uuid: text('UUID'),
    redfishUrl: text('RedfishURL'),
    enabled: get(body, 'Enabled') as boolean | undefined,
    info: infoKey ? (get(body, infoKey) as Record<string, unknown> | null) : undefined,
  });
}

/** GET's query parameters: id, redfish_ep, type and redfish_type, each `!`-negatable. */
export function componentEndpointFilterFromQuery(query: QueryValues) {
  const badId = `bad query param: ${SMD_TEXTS.notAnXnameId}`;
  return {
    ids: negatable(query.all('id'), smdXname, badId),
    redfishEndpoints: negatable(query.all('redfish_ep'), smdXname, badId),
    types: negatable(query.all('type'), smdType, `bad query param: ${SMD_TEXTS.notAnHmsType}`),
    redfishTypes: negatable(
      query.all('redfish_type'),
      (v) => (/^[A-Za-z0-9]+$/.test(v) ? v : undefined),
      'bad query param: Argument was not a valid Redfish type',
    ),
  };
}
