// /Inventory/Hardware (HWInvByLoc), /Inventory/HardwareByFRU (HWInvByFRU) and their History:
// SMD's hardware inventory, shaped from positions, their installed devices and the
// installation history (services/smd/hardware-inventory.ts).
import {
  decodeHardwarePost,
  decodeHardwareQuery,
  deletedText,
  fruFilterFromQuery,
  fruJson,
  HARDWARE_TEXTS,
  hardwareFilterFromQuery,
  hardwareXnameOf,
  historyEventJson,
  historyFilterFromQuery,
  historyGroupsJson,
  locationJson,
  SMD_TEXTS,
  smdBadRequest,
  smdErrorOf,
  smdNotFound,
  smdXname,
  systemInventoryJson,
} from '../../../codecs/smd/index.js';
import {
  deleteFrus,
  deleteHardwareHistory,
  deleteHardwareLocations,
  listFrus,
  listHardwareHistory,
  listHardwareLocations,
  loadHardwareLocations,
} from '../../../services/smd/index.js';
import { json, readJson } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { message } from '../respond.js';

export function mountHardwareRoutes(router: RestRouter): void {
  const hw = '/Inventory/Hardware';
  const byFru = '/Inventory/HardwareByFRU';

  router.get(hw, async ({ query, ctx }) =>
    json((await listHardwareLocations(ctx.service, hardwareFilterFromQuery(query))).map(locationJson)),
  );

  router.post(hw, async ({ request, ctx }) => {
    const count = await loadHardwareLocations(ctx.service, decodeHardwarePost(await readJson(request)));
    return message(`Created ${count} entries`);
  });

  router.delete(hw, async ({ ctx }) => message(deletedText(await deleteHardwareLocations(ctx.service))));

  // History (static paths before /{xname}).
  router.get(`${hw}/History`, async ({ query, ctx }) =>
    json(historyGroupsJson(await listHardwareHistory(ctx.service, historyFilterFromQuery(query, true)), 'xname')),
  );
  router.delete(`${hw}/History`, async ({ ctx }) => message(deletedText(await deleteHardwareHistory(ctx.service))));
  router.get(`${hw}/History/:xname`, async ({ params, query, ctx }) => {
    const xname = hardwareXnameOf(params.xname ?? '');
    const events = await listHardwareHistory(ctx.service, { ...historyFilterFromQuery(query, false), xnames: [xname] });
    return json({ ID: params.xname, History: events.map(historyEventJson) });
  });
  router.delete(`${hw}/History/:xname`, async ({ params, ctx }) => {
    const xname = hardwareXnameOf(params.xname ?? '');
    return message(deletedText(await deleteHardwareHistory(ctx.service, { xnames: [xname] })));
  });

  router.get(`${hw}/Query/:xname`, async ({ params, query, ctx }) => {
    const q = decodeHardwareQuery(params.xname ?? '', query);
    const locations = await listHardwareLocations(ctx.service, { types: q.types, partitions: q.partitions });
    return json(systemInventoryJson(locations, q));
  });

  router.get(`${hw}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    const [loc] = xname ? await listHardwareLocations(ctx.service, { xnames: [xname] }) : [];
    if (!loc) throw smdNotFound(SMD_TEXTS.noSuchXname);
    return json(locationJson(loc));
  });

  router.delete(`${hw}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    if (!xname) throw smdNotFound(SMD_TEXTS.noSuchXname);
    await deleteHardwareLocations(ctx.service, xname).catch((error) => {
      throw smdErrorOf(error, { NOT_FOUND: SMD_TEXTS.noSuchXname });
    });
    return message('deleted 1 entry');
  });

  router.get(byFru, async ({ query, ctx }) => json((await listFrus(ctx.service, fruFilterFromQuery(query))).map(fruJson)));

  router.delete(byFru, async ({ ctx }) => message(deletedText(await deleteFrus(ctx.service))));

  router.get(`${byFru}/History`, async ({ query, ctx }) =>
    json(historyGroupsJson(await listHardwareHistory(ctx.service, historyFilterFromQuery(query, true)), 'fruId')),
  );
  router.get(`${byFru}/History/:fruid`, async ({ params, query, ctx }) => {
    const fruId = params.fruid ?? '';
    if (!fruId) throw smdBadRequest(HARDWARE_TEXTS.badFruId);
    const events = await listHardwareHistory(ctx.service, { ...historyFilterFromQuery(query, false), fruIds: [fruId] });
    return json({ ID: fruId, History: events.map(historyEventJson) });
  });
  router.delete(`${byFru}/History/:fruid`, async ({ params, ctx }) =>
    message(deletedText(await deleteHardwareHistory(ctx.service, { fruIds: [params.fruid ?? ''] }))),
  );

  router.get(`${byFru}/:fruid`, async ({ params, ctx }) => {
    const [fru] = await listFrus(ctx.service, { fruIds: [params.fruid ?? ''] });
    if (!fru) throw smdNotFound(HARDWARE_TEXTS.noSuchFru);
    return json(fruJson(fru));
  });

  router.delete(`${byFru}/:fruid`, async ({ params, ctx }) => {
    await deleteFrus(ctx.service, params.fruid ?? '').catch((error) => {
      throw smdErrorOf(error, { NOT_FOUND: HARDWARE_TEXTS.noSuchFru });
    });
    return message('deleted 1 entry');
  });
}
