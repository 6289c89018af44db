// /Inventory/EthernetInterfaces: SMD's MAC → IP addresses + owning xname records, read by
// coresmd, BSS, cloud-init and the metadata service, written by ochami and magellan.
//
// `?ipaddr=` (metadata-service) is accepted as an alias of `IPAddress`. Real SMD ignores the
// unknown parameter and answers every interface, so MDS takes the first interface's
// ComponentID, whatever the IP; no SMD client sends `ipaddr` expecting that, so the alias
// makes MDS work and breaks no one.
import {
  checkPatchComponentId,
  decodeEthernetInterface,
  decodeEthernetInterfacePatch,
  decodeIpAddress,
  decodeIpAddressPatch,
  deletedText,
  ETHERNET_INTERFACE_TEXTS,
  type EthernetInterfaceWrite,
  ethernetInterfaceFilterFromQuery,
  ethernetInterfaceId,
  ethernetInterfaceJson,
  ethernetInterfaceWriteError,
  ipAddressJson,
  macOfInterfaceId,
  smdNotFound,
} from '../../../codecs/smd/index.js';
import {
  addIpAddress,
  createEthernetInterface,
  deleteEthernetInterfaces,
  deleteInterface,
  type EthernetInterfaceView,
  findEthernetInterface,
  listEthernetInterfaces,
  removeIpAddress,
  setIpAddressNetwork,
  updateEthernetInterface,
} from '../../../services/inventory/index.js';
import { json, readJson } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { INVENTORY } from '../prefix.js';
import { createdOne, message } from '../respond.js';

const BASE = `${INVENTORY}/EthernetInterfaces`;
const { noSuch, noSuchId, noSuchIp } = ETHERNET_INTERFACE_TEXTS;

/** The interface the path's ID names (lower-cased), if there is one. */
async function lookUp(req: RestRequest): Promise<{ id: string; view: EthernetInterfaceView | undefined }> {
  const id = (req.params.id ?? '').toLowerCase();
  const mac = macOfInterfaceId(id);
  return { id, view: mac ? await findEthernetInterface(req.ctx.service, mac) : undefined };
}

/** Runs a write, answering the service's errors in SMD's words for `write`. */
function smdWrite<T>(write: EthernetInterfaceWrite, work: Promise<T>, id?: string): Promise<T> {
  return work.catch((error) => {
    throw ethernetInterfaceWriteError(write, error, id);
  });
}

export function mountEthernetInterfaceRoutes(router: RestRouter): void {
  const path = '/Inventory/EthernetInterfaces';

  router.get(path, async ({ query, ctx }) => {
    const views = await listEthernetInterfaces(ctx.service, ethernetInterfaceFilterFromQuery(query));
    const out = new Array(views.length);
    for (let i = 0; i < views.length; i += 1) out[i] = ethernetInterfaceJson(views[i]);
    return json(out);
  });

  router.post(path, async ({ request, ctx }) => {
    const input = decodeEthernetInterface(await readJson(request), 'strict');
    await smdWrite('post', createEthernetInterface(ctx.service, input));
    return createdOne(`${BASE}/${ethernetInterfaceId(input.macAddress)}`);
  });

  router.delete(path, async ({ ctx }) => message(deletedText(await deleteEthernetInterfaces(ctx.service))));

  router.get(`${path}/:id`, async (req) => {
    const { id, view } = await lookUp(req);
    if (!view) throw smdNotFound(noSuchId(id));
    return json(ethernetInterfaceJson(view));
  });

  router.patch(`${path}/:id`, async (req) => {
    const patch = decodeEthernetInterfacePatch(await readJson(req.request));
    const { view } = await lookUp(req);
    if (!view) throw smdNotFound(noSuch);
    checkPatchComponentId(patch.componentXname);
    await smdWrite('patch', updateEthernetInterface(req.ctx.service, view.id, patch));
    const after = await findEthernetInterface(req.ctx.service, view.macAddress);
    return json(ethernetInterfaceJson(after as EthernetInterfaceView));
  });

  router.delete(`${path}/:id`, async (req) => {
    const { view } = await lookUp(req);
    if (!view) throw smdNotFound(noSuch);
    await smdWrite('delete', deleteInterface(req.ctx.service, view.id));
    return message('deleted 1 entry');
  });

  router.get(`${path}/:id/IPAddresses`, async (req) => {
    const { id, view } = await lookUp(req);
    if (!view) throw smdNotFound(noSuchId(id));
    return json(view.ipAddresses.map(ipAddressJson));
  });

  router.post(`${path}/:id/IPAddresses`, async (req) => {
    const entry = decodeIpAddress(await readJson(req.request));
    const { id, view } = await lookUp(req);
    if (!view) throw smdNotFound(noSuchId(id));
    await smdWrite('post-ip', addIpAddress(req.ctx.service, view.id, entry), id);
    return createdOne(`${BASE}/${id}/IPAddresses/${entry.address.trim()}`);
  });

  router.patch(`${path}/:id/IPAddresses/:ip`, async (req) => {
    const patch = decodeIpAddressPatch(await readJson(req.request));
    const ip = (req.params.ip ?? '').trim().toLowerCase();
    const { view } = await lookUp(req);
    const current = view?.ipAddresses.find((a) => a.address === ip);
    if (!view || !current) throw smdNotFound(noSuchIp);
    // Without Network there is nothing to change (SMD would wipe the interface's addresses).
    if (!patch) return json(ipAddressJson(current));
    await smdWrite('patch-ip', setIpAddressNetwork(req.ctx.service, view.id, ip, patch.network));
    return json(ipAddressJson({ address: ip, network: patch.network || null }));
  });

  router.delete(`${path}/:id/IPAddresses/:ip`, async (req) => {
    const { id, view } = await lookUp(req);
    if (!view) throw smdNotFound(noSuchId(id));
    await smdWrite('delete-ip', removeIpAddress(req.ctx.service, view.id, req.params.ip ?? ''), id);
    return message('deleted 1 entry');
  });
}
