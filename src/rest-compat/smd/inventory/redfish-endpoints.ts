// /Inventory/RedfishEndpoints: the BMCs (and PDU controllers, switches) SMD knows, with the
// OpenCHAMI discovery payloads magellan and ochami POST and PUT (SchemaVersion, Managers,
// Systems, PDUInventory), whose side effects land in the same transaction as the endpoint.
//
// Passwords are accepted and stored, never answered (Password is always "", as SMD answers
// when credentials live in Vault) and never logged: a request's password is scrubbed from any
// unexpected error before it can reach the error log.
import { InventoryError } from '../../../domain/errors.js';
import { normalizeXname, xnameType } from '../../../domain/xname.js';
import {
  createRedfishEndpoints,
  createRedfishEndpointWithInventory,
  type DiscoveredInterface,
  type DiscoveredManager,
  type DiscoveredOutlet,
  type DiscoveredSystem,
  deleteAllRedfishEndpoints,
  deleteRedfishEndpoint,
  findRedfishEndpoint,
  type LegacySystem,
  listRedfishEndpoints,
  REDFISH_ENDPOINT_TYPES,
  type RedfishEndpointFields,
  type RedfishEndpointFilter,
  type RedfishEndpointInput,
  type RedfishEndpointView,
  type RedfishInventory,
  replaceRedfishEndpointWithInventory,
  updateRedfishEndpoint,
} from '../../../services/smd/index.js';
import type { QueryParams } from '../../http/query.js';
import { json, noContent } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import {
  asSmd,
  type Body,
  bool,
  createdMany,
  deletedCount,
  field,
  INVENTORY,
  list,
  message,
  negatable,
  num,
  obj,
  readObject,
  reasonOf,
  smdType,
  smdXname,
  str,
  strings,
} from './common.js';

const BASE = `${INVENTORY}/RedfishEndpoints`;
const CONFLICT_NEW = 'operation would conflict with an existing resource that has the same FQDN or xname ID.';
const CONFLICT_FQDN = 'operation would conflict with an existing resource that has the same FQDN';

/** SMD's RedfishEndpoint JSON (rf.RedfishEPDescription): the password is never returned. */
export function endpointJson(row: RedfishEndpointView) {
  const info = (row.discoveryInfo ?? {}) as Record<string, unknown>;
  const discovery: Record<string, unknown> = {};
  if (info.LastDiscoveryAttempt) discovery.LastDiscoveryAttempt = info.LastDiscoveryAttempt;
  discovery.LastDiscoveryStatus = typeof info.LastDiscoveryStatus === 'string' ? info.LastDiscoveryStatus : '';
  if (info.RedfishVersion) discovery.RedfishVersion = info.RedfishVersion;
  const out: Record<string, unknown> = { ID: row.xname, Type: row.type };
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

const isEndpointType = (xname: string) => (REDFISH_ENDPOINT_TYPES as readonly string[]).includes(xnameType(xname) ?? '');

// --- decoding request bodies ----------------------------------------------------------------

/** The keys of SMD's RawRedfishEP: a body with any of them is one endpoint, not a list. */
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

/**
 * SMD's RawRedfishEP → the service input; the ID is checked here so the 400s read as SMD's
 * ("couldn't validate endpoint data: …"). `idx` is the list position, when in a list.
 */
function endpointInput(body: Body, idx?: number): RedfishEndpointInput {
  const fail = (reason: string) =>
    new SmdError(400, `couldn't validate endpoint data${idx === undefined ? '' : ` at idx ${idx}`}: ${reason}`);
  const trim = (v: string | undefined) => (v ?? '').replace(/^[./ ]+|[./ ]+$/g, '');
  const hostname = trim(str(body, 'Hostname'));
  let id = trim(str(body, 'ID'));
  if (!id && hostname && !hostname.includes('.')) id = hostname;
  if (!id && !hostname && str(body, 'FQDN')) id = trim(str(body, 'FQDN')).split('.')[0];
  if (!id) throw fail('No xname ID found');
  const xname = normalizeXname(id);
  const type = xnameType(xname);
  if (!type) throw fail(`${xname} is not a valid locational xname ID`);
  if (!(REDFISH_ENDPOINT_TYPES as readonly string[]).includes(type))
    throw fail(`xname ID ${xname} has wrong type for RF endpoint: ${type}`);
  const password = str(body, 'Password');
  return {
    xname,
    name: str(body, 'Name'),
    hostname: str(body, 'Hostname'),
    domain: str(body, 'Domain'),
    fqdn: str(body, 'FQDN'),
    ipAddress: str(body, 'IPAddress'),
    macAddr: str(body, 'MACAddr'),
    enabled: bool(body, 'Enabled'),
    uuid: str(body, 'UUID'),
    username: str(body, 'User'),
    password: password === '' ? undefined : password,
    useSsdp: bool(body, 'UseSSDP'),
    macRequired: bool(body, 'MACRequired'),
    rediscoverOnUpdate: bool(body, 'RediscoverOnUpdate'),
    templateId: str(body, 'TemplateID'),
  };
}

function objects(body: Body, name: string): Body[] {
  return (list(body, name) ?? []).map((entry) => obj(entry, name));
}

function discoveredInterfaces(body: Body): DiscoveredInterface[] {
  return objects(body, 'ethernet_interfaces').map((eth) => ({
    uri: str(eth, 'uri'),
    mac: str(eth, 'mac'),
    ip: str(eth, 'ip'),
    name: str(eth, 'name'),
    description: str(eth, 'description'),
    enabled: bool(eth, 'enabled'),
  }));
}

/** The discovery payload of a single-endpoint body (magellan's and ochami's). */
function inventoryOf(body: Body): RedfishInventory | undefined {
  const pdu = field(body, 'PDUInventory');
  if (pdu !== undefined && pdu !== null) {
    const outlets = objects(obj(pdu, 'PDUInventory'), 'Outlets').map(
      (o): DiscoveredOutlet => ({
        originalId: str(o, 'original_id'),
        idSuffix: str(o, 'id_suffix'),
        name: str(o, 'name'),
        state: str(o, 'state'),
        socketType: str(o, 'socket_type'),
      }),
    );
    return { pduOutlets: outlets };
  }
  const schemaVersion = num(body, 'SchemaVersion');
  if ((schemaVersion ?? 0) >= 1) {
    const managers = objects(body, 'Managers').map(
      (m): DiscoveredManager => ({
        uri: str(m, 'uri'),
        name: str(m, 'name'),
        ethernetInterfaces: discoveredInterfaces(m),
        actions: strings(m, 'actions'),
        commandShell: strings(m, 'command_shell'),
      }),
    );
    const systems = objects(body, 'Systems').map((s): DiscoveredSystem => {
      const links = field(s, 'links');
      const power = field(s, 'power');
      return {
        uri: str(s, 'uri'),
        uuid: str(s, 'uuid'),
        name: str(s, 'name'),
        systemType: str(s, 'system_type'),
        ethernetInterfaces: discoveredInterfaces(s),
        actions: strings(s, 'actions'),
        chassisLinks: links == null ? undefined : strings(obj(links, 'links'), 'chassis'),
        powerControlIds: power == null ? undefined : strings(obj(power, 'power'), 'power_control_ids'),
      };
    });
    return { schemaVersion, managers, systems };
  }
  const legacy = objects(body, 'Systems').map((s): LegacySystem => {
    const data = field(s, 'Data');
    return {
      data: data == null ? undefined : obj(data, 'Data'),
      ethernetInterfaces: field(s, 'EthernetInterfaces') == null ? undefined : objects(s, 'EthernetInterfaces'),
    };
  });
  return legacy.length ? { schemaVersion, legacySystems: legacy } : undefined;
}

// --- errors ---------------------------------------------------------------------------------

/** Keeps a request's password out of any error that could be logged. */
async function scrubbed<T>(password: string | null | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!password || error instanceof InventoryError || error instanceof SmdError) throw error;
    const text = `${(error as Error)?.message ?? ''}\n${(error as Error)?.stack ?? ''}`;
    if (text.includes(password)) throw new Error('store error (details withheld: they contained a credential)');
    throw error;
  }
}

/** The list index an item error names (`RedfishEndpoints.3.fqdn` → 3). */
const indexOf = (e: InventoryError) => /^RedfishEndpoints\.(\d+)\./.exec(e.field ?? '')?.[1];

const endpointField = (e: InventoryError) => /(^|\.)(xname|fqdn)$/.test(e.field ?? '');

function createErrors(error: unknown, single: boolean): unknown {
  return asSmd(error, {
    CONFLICT: (e) => (endpointField(e) ? CONFLICT_NEW : e.message),
    BAD_USER_INPUT: (e) => {
      const idx = indexOf(e);
      return single || idx === undefined
        ? `couldn't validate endpoint data: ${reasonOf(e)}`
        : `couldn't validate endpoint data at idx ${idx}: ${reasonOf(e)}`;
    },
  });
}

// --- query parameters -------------------------------------------------------------------------

function filterOf(query: QueryParams): RedfishEndpointFilter {
  const idDetail = 'bad query param: Argument was not a valid xname ID';
  const plain = (name: string, lower = false) => negatable(query.all(name), (v) => (lower ? v.toLowerCase() : v), '');
  return {
    ids: negatable(query.all('id'), smdXname, idDetail),
    fqdns: plain('fqdn'),
    types: negatable(query.all('type'), smdType, 'bad query param: Argument was not a valid HMS Type'),
    uuids: plain('uuid'),
    macAddrs: plain('macaddr', true),
    ipAddresses: plain('ipaddress', true),
    lastStatuses: plain('laststatus'),
  };
}

export function mountRedfishEndpointRoutes(router: RestRouter): void {
  const path = '/Inventory/RedfishEndpoints';

  router.get(path, async ({ query, ctx }) =>
    json({ RedfishEndpoints: (await listRedfishEndpoints(ctx.service, filterOf(query))).map(endpointJson) }),
  );

  router.post(path, async ({ request, ctx }) => {
    const body = await readObject(request);
    if (ENDPOINT_KEYS.some((key) => field(body, key) !== undefined)) {
      const input = endpointInput(body);
      const inventory = inventoryOf(body);
      const row = await scrubbed(input.password, () => createRedfishEndpointWithInventory(ctx.service, input, inventory)).catch((e) => {
        throw createErrors(e, true);
      });
      return createdMany([`${BASE}/${row.xname}`], BASE);
    }
    const entries = list(body, 'RedfishEndpoints');
    if (!entries) return createdMany([], BASE);
    const inputs = entries.map((entry, i) => endpointInput(obj(entry, 'RedfishEndpoints'), i));
    if (inputs.length === 0) return createdMany([], BASE);
    const rows = await scrubbed(inputs.find((i) => i.password)?.password, () =>
      createRedfishEndpoints(ctx.service, inputs, 'RedfishEndpoints'),
    ).catch((e) => {
      throw createErrors(e, false);
    });
    return createdMany(
      rows.map((row) => `${BASE}/${row.xname}`),
      BASE,
    );
  });

  router.delete(path, async ({ ctx }) => deletedCount(await deleteAllRedfishEndpoints(ctx.service)));

  router.get(`${path}/Query/:xname`, async ({ params, ctx }) => {
    const xname = params.xname ?? '';
    if (xname !== '' && xname !== 'all' && xname !== 's0') throw new SmdError(400, 'not yet implemented');
    return json({ RedfishEndpoints: (await listRedfishEndpoints(ctx.service)).map(endpointJson) });
  });

  router.get(`${path}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    const row = xname ? await findRedfishEndpoint(ctx.service, xname) : null;
    if (!row) throw new SmdError(404, 'no such xname.');
    return json(endpointJson(row));
  });

  router.put(`${path}/:xname`, async ({ params, request, ctx }) => {
    const body = await readObject(request);
    const urlXname = normalizeXname(params.xname ?? '');
    const given = str(body, 'ID');
    if (given && normalizeXname(given.replace(/^[./ ]+|[./ ]+$/g, '')) !== urlXname)
      throw new SmdError(400, 'xname in URL and PUT body do not match');
    const input = endpointInput({ ...body, ID: urlXname });
    const inventory = inventoryOf(body);
    const { row, created } = await scrubbed(input.password, () => replaceRedfishEndpointWithInventory(ctx.service, input, inventory)).catch(
      (e) => {
        throw asSmd(e, {
          CONFLICT: (err) => (endpointField(err) ? CONFLICT_FQDN : err.message),
          BAD_USER_INPUT: (err) => `couldn't validate endpoint data: ${reasonOf(err)}`,
        });
      },
    );
    if (created) return noContent();
    return json(endpointJson(row));
  });

  router.patch(`${path}/:xname`, async ({ params, request, ctx }) => {
    const body = await readObject(request);
    const xname = smdXname(params.xname ?? '');
    if (!xname) throw new SmdError(400, 'xname in URL is not valid');
    if (!isEndpointType(xname)) throw new SmdError(404, `No such entry: ${xname}`);
    const password = str(body, 'Password');
    const fields: RedfishEndpointFields = {
      name: str(body, 'Name'),
      hostname: str(body, 'Hostname'),
      domain: str(body, 'Domain'),
      fqdn: str(body, 'FQDN'),
      enabled: bool(body, 'Enabled'),
      uuid: str(body, 'UUID'),
      username: str(body, 'User'),
      password: password === '' ? undefined : password,
      useSsdp: bool(body, 'UseSSDP'),
      macRequired: bool(body, 'MACRequired'),
      macAddr: str(body, 'MACAddr'),
      ipAddress: str(body, 'IPAddress'),
      rediscoverOnUpdate: bool(body, 'RediscoverOnUpdate'),
      templateId: str(body, 'TemplateID'),
    };
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as RedfishEndpointFields;
    if (Object.keys(given).length === 0) {
      const row = await findRedfishEndpoint(ctx.service, xname);
      if (!row) throw new SmdError(404, `No such entry: ${xname}`);
      return json(endpointJson(row));
    }
    const row = await scrubbed(fields.password, () => updateRedfishEndpoint(ctx.service, xname, given)).catch((e) => {
      throw asSmd(e, {
        NOT_FOUND: `No such entry: ${xname}`,
        CONFLICT: CONFLICT_FQDN,
        BAD_USER_INPUT: (err) => `couldn't validate endpoint data: ${reasonOf(err)}`,
      });
    });
    return json(endpointJson(row));
  });

  router.delete(`${path}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    if (!xname) throw new SmdError(400, 'Argument was not a valid xname ID');
    if (!isEndpointType(xname)) throw new SmdError(404, 'no such xname.');
    await deleteRedfishEndpoint(ctx.service, xname).catch((e) => {
      throw asSmd(e, { NOT_FOUND: 'no such xname.' });
    });
    return message('deleted 1 entry');
  });
}
