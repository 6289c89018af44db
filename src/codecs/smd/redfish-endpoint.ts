// SMD Redfish endpoints (/Inventory/RedfishEndpoints, rf.RedfishEPDescription; the Fabrica
// RedfishEndpoint spec) ⇄ the Redfish service. The password is accepted and never shown
// ("Password": "", as SMD answers when credentials live in Vault).

import { bareMessage } from '../../domain/bare-message.js';
import type { InventoryError } from '../../domain/errors.js';
import { isRedfishEndpointType } from '../../domain/redfish-endpoint-types.js';
import { normalizeXname, xnameType } from '../../domain/xname.js';
import type {
  RedfishEndpointFields,
  RedfishEndpointFilter,
  RedfishEndpointInput,
  RedfishEndpointView,
  RedfishInventory,
} from '../../services/smd/index.js';
import { SMD_TEXTS, SmdRuleError, smdErrorOf } from './errors.js';
import { emptyAsNull, type FieldNames, type SmdDialect, smdObject, withoutUndefined } from './fields.js';
import { get, type Obj, objectAt, optArray, optBool, optString } from './go-json.js';
import { decodeRedfishInventory } from './redfish-inventory.js';
import { negatable, type QueryValues, smdType, smdXname } from './values.js';

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

export const REDFISH_ENDPOINT_TEXTS = {
  conflictNew: 'operation would conflict with an existing resource that has the same FQDN or xname ID.',
  conflictFqdn: 'operation would conflict with an existing resource that has the same FQDN',
  badUrlXname: 'xname in URL is not valid',
  queryNotImplemented: 'not yet implemented',
  noSuchEntry: (xname: string) => `No such entry: ${xname}`,
} as const;

// --- encoding -----------------------------------------------------------------------------------

/** SMD's RedfishEndpoint JSON (rf.RedfishEPDescription): the password is never returned. */
export function redfishEndpointJson(row: RedfishEndpointView): Obj {
  const info = (row.discoveryInfo ?? {}) as Record<string, unknown>;
  const discovery: Obj = {};
  if (info.LastDiscoveryAttempt) discovery.LastDiscoveryAttempt = info.LastDiscoveryAttempt;
  discovery.LastDiscoveryStatus = typeof info.LastDiscoveryStatus === 'string' ? info.LastDiscoveryStatus : '';
  if (info.RedfishVersion) discovery.RedfishVersion = info.RedfishVersion;
  const out: Obj = { ID: row.xname, Type: row.type };
  if (row.name) out.Name = row.name;
  Object.assign(out, { Hostname: row.hostname ?? '', Domain: row.domain ?? '', FQDN: row.fqdn ?? '', Enabled: row.enabled });
  if (row.uuid) out.UUID = row.uuid;
  Object.assign(out, { User: row.username ?? '', Password: '' });
  if (row.useSsdp) out.UseSSDP = true;
  if (row.macRequired) out.MACRequired = true;
  if (row.macAddr) out.MACAddr = row.macAddr;
  if (row.ipAddress) out.IPAddress = row.ipAddress;
  out.RediscoverOnUpdate = row.rediscoverOnUpdate;
  if (row.templateId) out.TemplateID = row.templateId;
  out.DiscoveryInfo = discovery;
  return out;
}

export const redfishEndpointsJson = (rows: readonly RedfishEndpointView[]) => ({ RedfishEndpoints: rows.map(redfishEndpointJson) });

// --- decoding -----------------------------------------------------------------------------------

/** SMD trims these from an ID, hostname or FQDN. */
const trim = (v: string | undefined) => (v ?? '').replace(/^[./ ]+|[./ ]+$/g, '');

/** SMD's RawRedfishEP: the xname from ID, else from a dotless Hostname, else from the FQDN's first label; checked in SMD's words. */
function strictEndpoint(body: Obj, idx: number | undefined): RedfishEndpointInput {
  const fail = (reason: string) =>
    new SmdRuleError(`couldn't validate endpoint data${idx === undefined ? '' : ` at idx ${idx}`}: ${reason}`);
  const hostname = trim(optString(body, 'Hostname'));
  let id = trim(optString(body, 'ID'));
  if (!id && hostname && !hostname.includes('.')) id = hostname;
  if (!id && !hostname && optString(body, 'FQDN')) id = trim(optString(body, 'FQDN')).split('.')[0];
  if (!id) throw fail('No xname ID found');
  const xname = normalizeXname(id);
  const type = xnameType(xname);
  if (!type) throw fail(`${xname} is not a valid locational xname ID`);
  if (!isRedfishEndpointType(type)) throw fail(`xname ID ${xname} has wrong type for RF endpoint: ${type}`);
  const password = optString(body, 'Password');
  return {
    xname,
    name: optString(body, 'Name'),
    hostname: optString(body, 'Hostname'),
    domain: optString(body, 'Domain'),
    fqdn: optString(body, 'FQDN'),
    ipAddress: optString(body, 'IPAddress'),
    macAddr: optString(body, 'MACAddr'),
    enabled: optBool(body, 'Enabled'),
    uuid: optString(body, 'UUID'),
    username: optString(body, 'User'),
    password: password === '' ? undefined : password,
    useSsdp: optBool(body, 'UseSSDP'),
    macRequired: optBool(body, 'MACRequired'),
    rediscoverOnUpdate: optBool(body, 'RediscoverOnUpdate'),
    templateId: optString(body, 'TemplateID'),
  };
}

/**
 * A RedfishEndpoint body as a service input (ID → xname, User → username). An empty Password
 * is "not given", so echoing a GET back keeps the stored password.
 * - strict (/hsm/v2; `idx` is the position in a list): SMD's RawRedfishEP, the xname derived
 *   and checked as SMD does ("couldn't validate endpoint data: …"); DiscoveryInfo is SMD's own.
 * - lenient (Fabrica specs, SMD dumps; `at` names the value when it is not an object): the ID
 *   as given (the service checks it), "" clears a field, DiscoveryInfo is kept; keys not
 *   present stay undefined (a replace gives them their defaults).
 */
export function decodeRedfishEndpoint(
  value: unknown,
  dialect: SmdDialect,
  where: { idx?: number; at?: string } = {},
): RedfishEndpointInput {
  if (dialect === 'strict') return strictEndpoint(objectAt(value, where.at ?? ''), where.idx);
  const body = smdObject(value, where.at ?? 'input');
  const text = (key: string) => emptyAsNull(get(body, key)) as string | null | undefined;
  const password = get(body, 'Password');
  return withoutUndefined({
    xname: get(body, 'ID') as string | undefined,
    name: text('Name'),
    hostname: text('Hostname'),
    domain: text('Domain'),
    fqdn: text('FQDN'),
    ipAddress: text('IPAddress'),
    macAddr: text('MACAddr'),
    enabled: get(body, 'Enabled') as boolean | undefined,
    uuid: text('UUID'),
    username: text('User'),
    password: password === '' || password === null ? undefined : (password as string | undefined),
    useSsdp: get(body, 'UseSSDP') as boolean | undefined,
    macRequired: get(body, 'MACRequired') as boolean | undefined,
    rediscoverOnUpdate: get(body, 'RediscoverOnUpdate') as boolean | undefined,
    templateId: text('TemplateID'),
    discoveryInfo: get(body, 'DiscoveryInfo') as Record<string, unknown> | null | undefined,
  }) as RedfishEndpointInput;
}

/** The keys of SMD's RawRedfishEP: a POST body with any of them is one endpoint, not a list. */
const ENDPOINT_KEYS = [
  'ID',
  'Type',
  'Name',
  'Hostname',
  'Domain',
  'FQDN',
  'Enabled',
  'UUID',
  'User',
  'Password',
  'UseSSDP',
  'MACRequired',
  'MACAddr',
  'IPAddress',
  'RediscoverOnUpdate',
  'TemplateID',
];

/** A POST: one endpoint with its discovery payload, or `{"RedfishEndpoints": [...]}` (possibly none). */
export type RedfishEndpointsPost =
  | { kind: 'one'; input: RedfishEndpointInput; inventory: RedfishInventory | undefined }
  | { kind: 'list'; inputs: RedfishEndpointInput[] };

export function decodeRedfishEndpointsPost(value: unknown): RedfishEndpointsPost {
  const body = objectAt(value, '');
  if (ENDPOINT_KEYS.some((key) => get(body, key) !== undefined)) {
    const input = strictEndpoint(body, undefined);
    return { kind: 'one', input, inventory: decodeRedfishInventory(body) };
  }
  const entries = optArray(body, 'RedfishEndpoints', undefined, 'array') ?? [];
  return { kind: 'list', inputs: entries.map((entry, idx) => decodeRedfishEndpoint(entry, 'strict', { idx, at: 'RedfishEndpoints' })) };
}

/** PUT /Inventory/RedfishEndpoints/{xname}: the endpoint (its ID the URL's) with its discovery payload. */
export function decodeRedfishEndpointPut(
  value: unknown,
  urlXname: string,
): { input: RedfishEndpointInput; inventory: RedfishInventory | undefined } {
  const body = objectAt(value, '');
  const xname = normalizeXname(urlXname);
  const given = optString(body, 'ID');
  if (given && normalizeXname(trim(given)) !== xname) throw new SmdRuleError(SMD_TEXTS.xnameMismatch);
  return { input: strictEndpoint({ ...body, ID: xname }, undefined), inventory: decodeRedfishInventory(body) };
}

/** The xname of a URL that must name a Redfish endpoint: 400 `invalid` when it is no xname, 404 `notFound` when not an endpoint's. */
export function endpointXnameOf(raw: string, invalid: string, notFound: (xname: string) => string): string {
  const xname = smdXname(raw);
  if (!xname) throw new SmdRuleError(invalid);
  if (!isRedfishEndpointType(xnameType(xname))) throw new SmdRuleError(notFound(xname), 'NOT_FOUND');
  return xname;
}

/** PATCH /Inventory/RedfishEndpoints/{xname}: the endpoint's xname and the fields the body gives. */
export function decodeRedfishEndpointPatch(value: unknown, urlXname: string): { xname: string; fields: RedfishEndpointFields } {
  const body = objectAt(value, '');
  const xname = endpointXnameOf(urlXname, REDFISH_ENDPOINT_TEXTS.badUrlXname, REDFISH_ENDPOINT_TEXTS.noSuchEntry);
  const password = optString(body, 'Password');
  const fields: RedfishEndpointFields = {
    name: optString(body, 'Name'),
    hostname: optString(body, 'Hostname'),
    domain: optString(body, 'Domain'),
    fqdn: optString(body, 'FQDN'),
    enabled: optBool(body, 'Enabled'),
    uuid: optString(body, 'UUID'),
    username: optString(body, 'User'),
    password: password === '' ? undefined : password,
    useSsdp: optBool(body, 'UseSSDP'),
    macRequired: optBool(body, 'MACRequired'),
    macAddr: optString(body, 'MACAddr'),
    ipAddress: optString(body, 'IPAddress'),
    rediscoverOnUpdate: optBool(body, 'RediscoverOnUpdate'),
    templateId: optString(body, 'TemplateID'),
  };
  return { xname, fields: withoutUndefined(fields as Record<string, unknown>) as RedfishEndpointFields };
}

/** GET's query parameters (id, fqdn, type, uuid, macaddr, ipaddress, laststatus), each `!`-negatable. */
export function redfishEndpointFilterFromQuery(query: QueryValues): RedfishEndpointFilter {
  const plain = (name: string, lower = false) => negatable(query.all(name), (v) => (lower ? v.toLowerCase() : v), '');
  return {
    ids: negatable(query.all('id'), smdXname, `bad query param: ${SMD_TEXTS.notAnXnameId}`),
    fqdns: plain('fqdn'),
    types: negatable(query.all('type'), smdType, `bad query param: ${SMD_TEXTS.notAnHmsType}`),
    uuids: plain('uuid'),
    macAddrs: plain('macaddr', true),
    ipAddresses: plain('ipaddress', true),
    lastStatuses: plain('laststatus'),
  };
}

// --- errors ---------------------------------------------------------------------------------------

/** The list index an item error names (`RedfishEndpoints.3.fqdn` → 3). */
const indexOf = (e: InventoryError) => /^RedfishEndpoints\.(\d+)\./.exec(e.field ?? '')?.[1];

/** A conflict on the endpoint's own keys (its xname or FQDN), not on something it creates. */
const onEndpointKey = (e: InventoryError) => /(^|\.)(xname|fqdn)$/.test(e.field ?? '');

const invalid = (e: InventoryError, idx?: string) =>
  `couldn't validate endpoint data${idx === undefined ? '' : ` at idx ${idx}`}: ${bareMessage(e)}`;

/** How an endpoint write was asked for: SMD words its errors per route. */
export type RedfishEndpointWrite = 'post-one' | 'post-list' | 'put' | 'patch' | 'delete';

/** A write's service error in SMD's words (`xname` is the URL's, for PATCH's 404). */
export function redfishEndpointWriteError(write: RedfishEndpointWrite, error: unknown, xname = ''): unknown {
  const { conflictNew, conflictFqdn, noSuchEntry } = REDFISH_ENDPOINT_TEXTS;
  switch (write) {
    case 'post-one':
    case 'post-list':
      return smdErrorOf(error, {
        CONFLICT: (e) => (onEndpointKey(e) ? conflictNew : e.message),
        BAD_USER_INPUT: (e) => invalid(e, write === 'post-list' ? indexOf(e) : undefined),
      });
    case 'put':
      return smdErrorOf(error, { CONFLICT: (e) => (onEndpointKey(e) ? conflictFqdn : e.message), BAD_USER_INPUT: (e) => invalid(e) });
    case 'patch':
      return smdErrorOf(error, { NOT_FOUND: noSuchEntry(xname), CONFLICT: conflictFqdn, BAD_USER_INPUT: (e) => invalid(e) });
    case 'delete':
      return smdErrorOf(error, { NOT_FOUND: SMD_TEXTS.noSuchXname });
  }
}
