// /Inventory/EthernetInterfaces: SMD's MAC → IP addresses + owning xname records, read by
// coresmd, BSS, cloud-init and the metadata service, written by ochami and magellan.
//
// `?ipaddr=` (metadata-service) is accepted as an alias of `IPAddress`. Real SMD ignores the
// unknown parameter and answers every interface, so MDS takes the first interface's
// ComponentID, whatever the IP; no SMD client sends `ipaddr` expecting that, so the alias
// makes MDS work and breaks no one.

import { smdEthernetInterface, smdIpAddress } from '../../../codecs/smd/ethernet-interface.js';
import type { InventoryError } from '../../../domain/errors.js';
import {
  addIpAddress,
  createEthernetInterface,
  deleteEthernetInterfaces,
  deleteInterface,
  type EthernetInterfaceFilter,
  type EthernetInterfaceView,
  findEthernetInterface,
  type IpAddressInput,
  listEthernetInterfaces,
  removeIpAddress,
  setIpAddressNetwork,
  updateEthernetInterface,
} from '../../../services/inventory/index.js';
import type { QueryParams } from '../../http/query.js';
import { json } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import {
  type Body,
  createdOne,
  deletedCount,
  field,
  INVENTORY,
  interfaceIdOf,
  list,
  macOfInterfaceId,
  message,
  obj,
  readObject,
  rfc3339,
  smd,
  smdMac,
  smdType,
  smdXname,
  str,
} from './common.js';

const BASE = `${INVENTORY}/EthernetInterfaces`;
const CONFLICT_MAC = 'operation would conflict with an existing component ethernet interface that has the same MAC address.';
const CONFLICT_IP = 'operation would conflict with an existing IP Address on the same ethernet interface.';
const BAD_IP = 'Invalid CompEthInterface IP Address';
const NO_SUCH = 'no such component ethernet interface.';
const noSuchId = (id: string) => `No such component ethernet interface: ${id}`;

/** SMD's query parameters → the service filter (400s with SMD's details). */
function filterOf(query: QueryParams): EthernetInterfaceFilter {
  const filter: EthernetInterfaceFilter = {};
  const ids = query.all('id');
  if (ids.length) {
    filter.ids = ids.map((id) => {
      if (id === '') throw new SmdError(400, 'Invalid component ethernet interface ID.');
      return macOfInterfaceId(id) ?? `not a MAC: ${id}`;
    });
  }
  const macs = query.all('macaddress');
  if (macs.length) {
    filter.macAddresses = macs.map((mac) => {
      if (mac === '') throw new SmdError(400, 'Invalid component ethernet interface MAC address.');
      const lower = mac.toLowerCase();
      return /^[0-9a-f]{2}([:-]?[0-9a-f]{2}){5}$/.test(lower) ? smdMac(lower) : lower;
    });
  }
  const ips = [...query.all('ipaddress'), ...query.all('ipaddr')];
  if (ips.length) filter.ipAddresses = ips.map((ip) => ip.trim().toLowerCase());
  const networks = query.all('network');
  if (networks.length) filter.networks = networks;
  for (const [name, key] of [
    ['olderthan', 'olderThan'],
    ['newerthan', 'newerThan'],
  ] as const) {
    const raw = query.get(name);
    if (raw === undefined || raw === '') continue;
    const date = rfc3339(raw);
    if (!date) throw new SmdError(400, 'bad query param: Argument was not in a valid RFC3339 time format');
    filter[key] = date;
  }
  const xnames = query.all('componentid');
  if (xnames.length) {
    filter.componentXnames = xnames.map((x) => {
      if (x === '') return '';
      const xname = smdXname(x);
      if (!xname) throw new SmdError(400, 'Invalid CompID.');
      return xname;
    });
  }
  const types = query.all('type');
  if (types.length) {
    filter.types = types.map((t) => {
      const type = smdType(t);
      if (!type) throw new SmdError(400, 'Invalid HMS type.');
      return type;
    });
  }
  return filter;
}

/** An IPAddresses entry of a body: IPAddress required (SMD: "Invalid CompEthInterface IP Address"). */
function ipEntry(value: unknown, name: string): IpAddressInput {
  const entry = obj(value, name);
  const address = str(entry, 'IPAddress');
  if (!address) throw new SmdError(400, BAD_IP);
  const network = str(entry, 'Network');
  return { address, network: network || null };
}

function ipEntries(body: Body): IpAddressInput[] | undefined {
  return list(body, 'IPAddresses')?.map((entry) => ipEntry(entry, 'IPAddresses'));
}

/** A bad address from the service (not an IP) is SMD's IP-address error. */
const badInput = (e: InventoryError) => (e.field?.toLowerCase().includes('address') && e.field !== 'macAddress' ? BAD_IP : e.message);

async function lookUp(req: RestRequest): Promise<{ id: string; view: EthernetInterfaceView | undefined }> {
  const id = (req.params.id ?? '').toLowerCase();
  const mac = macOfInterfaceId(id);
  return { id, view: mac ? await findEthernetInterface(req.ctx.service, mac) : undefined };
}

export function mountEthernetInterfaceRoutes(router: RestRouter): void {
  const path = '/Inventory/EthernetInterfaces';

  router.get(path, async ({ query, ctx }) => {
    const views = await listEthernetInterfaces(ctx.service, filterOf(query));
    const out = new Array(views.length);
    for (let i = 0; i < views.length; i += 1) out[i] = smdEthernetInterface(views[i]);
    return json(out);
  });

  router.post(path, async ({ request, ctx }) => {
    const body = await readObject(request);
    const macAddress = smdMac(str(body, 'MACAddress') ?? '');
    const componentId = str(body, 'ComponentID');
    if (componentId && !smdXname(componentId)) throw new SmdError(400, 'Invalid CompEthInterface component ID');
    const ipAddresses = ipEntries(body);
    await smd(
      () =>
        createEthernetInterface(ctx.service, {
          macAddress,
          description: str(body, 'Description'),
          componentXname: componentId ?? null,
          ipAddresses,
        }),
      {
        CONFLICT: CONFLICT_MAC,
        BAD_USER_INPUT: badInput,
      },
    );
    return createdOne(`${BASE}/${interfaceIdOf(macAddress)}`);
  });

  router.delete(path, async ({ ctx }) => deletedCount(await deleteEthernetInterfaces(ctx.service)));

  router.get(`${path}/:id`, async (req) => {
    const { id, view } = await lookUp(req);
    if (!view) throw new SmdError(404, noSuchId(id));
    return json(smdEthernetInterface(view));
  });

  router.patch(`${path}/:id`, async (req) => {
    const body = await readObject(req.request);
    const description = str(body, 'Description');
    const componentId = str(body, 'ComponentID');
    const ipAddresses = ipEntries(body);
    if (description === undefined && componentId === undefined && ipAddresses === undefined) {
      throw new SmdError(400, 'Request must have at least one patch field.');
    }
    const { view } = await lookUp(req);
    if (!view) throw new SmdError(404, NO_SUCH);
    if (componentId !== undefined && !smdXname(componentId)) throw new SmdError(400, 'bad query param: Argument was not a valid xname ID');
    await smd(() => updateEthernetInterface(req.ctx.service, view.id, { description, componentXname: componentId, ipAddresses }), {
      NOT_FOUND: NO_SUCH,
      BAD_USER_INPUT: badInput,
    });
    const after = await findEthernetInterface(req.ctx.service, view.macAddress);
    return json(smdEthernetInterface(after as EthernetInterfaceView));
  });

  router.delete(`${path}/:id`, async (req) => {
    const { view } = await lookUp(req);
    if (!view) throw new SmdError(404, NO_SUCH);
    await smd(() => deleteInterface(req.ctx.service, view.id), { NOT_FOUND: NO_SUCH });
    return message('deleted 1 entry');
  });

  router.get(`${path}/:id/IPAddresses`, async (req) => {
    const { id, view } = await lookUp(req);
    if (!view) throw new SmdError(404, noSuchId(id));
    return json(view.ipAddresses.map(smdIpAddress));
  });

  router.post(`${path}/:id/IPAddresses`, async (req) => {
    const body = await readObject(req.request);
    const entry = ipEntry(body, '');
    const { id, view } = await lookUp(req);
    if (!view) throw new SmdError(404, noSuchId(id));
    await smd(() => addIpAddress(req.ctx.service, view.id, entry), {
      CONFLICT: CONFLICT_IP,
      NOT_FOUND: noSuchId(id),
      BAD_USER_INPUT: BAD_IP,
    });
    return createdOne(`${BASE}/${id}/IPAddresses/${entry.address.trim()}`);
  });

  router.patch(`${path}/:id/IPAddresses/:ip`, async (req) => {
    const body = await readObject(req.request);
    const ip = (req.params.ip ?? '').trim().toLowerCase();
    const { view } = await lookUp(req);
    const current = view?.ipAddresses.find((a) => a.address === ip);
    if (!view || !current) throw new SmdError(404, 'no such IP address in component ethernet interface.');
    // Without Network there is nothing to change (SMD would wipe the interface's addresses).
    if (field(body, 'Network') === undefined) return json(smdIpAddress(current));
    const network = str(body, 'Network') ?? null;
    await smd(() => setIpAddressNetwork(req.ctx.service, view.id, ip, network), {
      NOT_FOUND: 'no such IP address in component ethernet interface.',
    });
    return json(smdIpAddress({ address: ip, network: network || null }));
  });

  router.delete(`${path}/:id/IPAddresses/:ip`, async (req) => {
    const { id, view } = await lookUp(req);
    if (!view) throw new SmdError(404, noSuchId(id));
    await smd(() => removeIpAddress(req.ctx.service, view.id, req.params.ip ?? ''), {
      NOT_FOUND: (e) => (e.field === 'address' ? 'component ethernet interface has no such ip address.' : noSuchId(id)),
    });
    return message('deleted 1 entry');
  });
}
