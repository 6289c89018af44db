// /sysinfo/powermaps: which power supplies feed a component. PCS reads the collection as a
// bare array of {id, poweredBy}.
import {
  decodePowerMapPut,
  decodePowerMapsPost,
  deletedAllText,
  powerMapJson,
  powerMapWriteError,
  SMD_TEXTS,
  smdNotFound,
} from '../../../codecs/smd/index.js';
import { deleteAllPowerMaps, deletePowerMap, getPowerMap, listPowerMaps, upsertPowerMaps } from '../../../services/smd/index.js';
import { json, readJson } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { message } from '../respond.js';

const BASE = '/sysinfo/powermaps';

export function mountPowerMapRoutes(router: RestRouter): void {
  router.get(BASE, async ({ ctx }) => json((await listPowerMaps(ctx.service)).map(powerMapJson)));
  router.post(BASE, async ({ request, ctx }) => {
    const maps = decodePowerMapsPost(await readJson(request));
    await upsertPowerMaps(ctx.service, maps).catch((error) => {
      throw powerMapWriteError('post', error);
    });
    return message(`Created or modified ${maps.length} entries`);
  });
  router.delete(BASE, async ({ ctx }) => message(deletedAllText(await deleteAllPowerMaps(ctx.service))));
  router.get(`${BASE}/:xname`, async ({ params, ctx }) => {
    const map = await getPowerMap(ctx.service, params.xname ?? '');
    if (!map) throw smdNotFound(SMD_TEXTS.noSuchXname);
    return json(powerMapJson(map));
  });
  router.put(`${BASE}/:xname`, async ({ request, params, ctx }) => {
    const map = decodePowerMapPut(await readJson(request), params.xname ?? '');
    const [stored] = await upsertPowerMaps(ctx.service, [map]).catch((error) => {
      throw powerMapWriteError('put', error);
    });
    return json(powerMapJson(stored));
  });
  router.delete(`${BASE}/:xname`, async ({ params, ctx }) => {
    if (!(await deletePowerMap(ctx.service, params.xname ?? ''))) throw smdNotFound(SMD_TEXTS.noSuchXname);
    return message('deleted 1 entry');
  });
}
