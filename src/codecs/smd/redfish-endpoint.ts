// SMD RedfishEndpoint request bodies (Fabrica RedfishEndpoint spec) → the Redfish service. The
// JSON an endpoint is shown as is SMD's endpointJson (rest-compat/smd/inventory/redfish-endpoints.ts),
// which never shows the password.
import type { RedfishEndpointInput } from '../../services/smd/index.js';
import { emptyAsNull, type FieldNames, pick, smdObject, withoutUndefined } from './fields.js';

export const REDFISH_ENDPOINT_FIELD_NAMES: FieldNames = {
  xname: 'ID',
  type: 'Type',
  name: 'Name',
  hostname: 'Hostname',
  domain: 'Domain',
  fqdn: 'FQDN',
  ipAddress: 'IPAddress',
  macAddr: 'MACAddr',
  enabled: 'Enabled',
  uuid: 'UUID',
  username: 'User',
  password: 'Password',
  useSsdp: 'UseSSDP',
  macRequired: 'MACRequired',
  rediscoverOnUpdate: 'RediscoverOnUpdate',
  templateId: 'TemplateID',
  discoveryInfo: 'DiscoveryInfo',
  input: 'spec',
};

/**
 * An SMD RedfishEndpoint body as a service input (ID → xname, User → username). Keys not
 * present stay undefined (a replace gives them their defaults); an empty Password is "not
 * given", so echoing a GET back keeps the stored password.
 */
export function redfishEndpointInputFromSmd(value: unknown, field = 'input'): RedfishEndpointInput {
  const body = smdObject(value, field);
  const text = (key: string) => emptyAsNull(pick(body, key)) as string | null | undefined;
  const password = pick(body, 'Password');
  return withoutUndefined({
    xname: pick(body, 'ID') as string | undefined,
    name: text('Name'),
    hostname: text('Hostname'),
    domain: text('Domain'),
    fqdn: text('FQDN'),
    ipAddress: text('IPAddress'),
    macAddr: text('MACAddr'),
    enabled: pick(body, 'Enabled') as boolean | undefined,
    uuid: text('UUID'),
    username: text('User'),
    password: password === '' || password === null ? undefined : (password as string | undefined),
    useSsdp: pick(body, 'UseSSDP') as boolean | undefined,
    macRequired: pick(body, 'MACRequired') as boolean | undefined,
    rediscoverOnUpdate: pick(body, 'RediscoverOnUpdate') as boolean | undefined,
    templateId: text('TemplateID'),
    discoveryInfo: pick(body, 'DiscoveryInfo') as Record<string, unknown> | null | undefined,
  });
}
