// /Defaults/NodeMaps: the NID, Role and SubRole a node gets when it is created without them.
import {
  decodeNodeMapPut,
  decodeNodeMapsPost,
  deletedAllText,
  nodeMapJson,
  nodeMapsJson,
  nodeMapWriteError,
  SMD_TEXTS,
  smdNotFound,
} from '../../../codecs/smd/index.js';
import { deleteAllNodeMaps, deleteNodeMap, getNodeMap, listNodeMaps, upsertNodeMaps } from '../../../services/smd/index.js';
import { json, readJson } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { message } from '../respond.js';

const BASE = '/Defaults/NodeMaps';

export function mountNodeMapRoutes(router: RestRouter): void {
  router.get(BASE, async ({ ctx }) => json(nodeMapsJson(await listNodeMaps(ctx.service))));
  router.post(BASE, async ({ request, ctx }) => {
    const { maps, write } = decodeNodeMapsPost(await readJson(request));
    await upsertNodeMaps(ctx.service, maps).catch((error) => {
      throw nodeMapWriteError(write, error);
    });
    return message(`Created or modified ${maps.length} entries`);
  });
  router.delete(BASE, async ({ ctx }) => message(deletedAllText(await deleteAllNodeMaps(ctx.service))));
  router.get(`${BASE}/:xname`, async ({ params, ctx }) => {
    const row = await getNodeMap(ctx.service, params.xname ?? '');
    if (!row) throw smdNotFound(SMD_TEXTS.noSuchXname);
    return json(nodeMapJson(row));
  });
  router.put(`${BASE}/:xname`, async ({ request, params, ctx }) => {
    const map = decodeNodeMapPut(await readJson(request), params.xname ?? '');
    const [row] = await upsertNodeMaps(ctx.service, [map]).catch((error) => {
      throw nodeMapWriteError('put', error);
    });
    return json(nodeMapJson(row));
  });
  router.delete(`${BASE}/:xname`, async ({ params, ctx }) => {
    if (!(await deleteNodeMap(ctx.service, params.xname ?? ''))) throw smdNotFound(SMD_TEXTS.noSuchXname);
    return message('deleted 1 entry');
  });
}
