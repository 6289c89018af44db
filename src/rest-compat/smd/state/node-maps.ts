// /Defaults/NodeMaps: the NID, Role and SubRole a node gets when it is created without them.
import { ConflictError } from '../../../domain/errors.js';
import { normalizeXname } from '../../../domain/xname.js';
import type { ServiceContext } from '../../../services/core/index.js';
import {
  deleteAllNodeMaps,
  deleteNodeMap,
  getNodeMap,
  listNodeMaps,
  type NodeMapInput,
  type NodeMapRow,
  SmdRuleError,
  upsertNodeMaps,
} from '../../../services/smd/index.js';
import { json } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import { asObject, get, has, message, type Obj, optArray, optInt, optString, readObject } from './wire.js';

const BASE = '/Defaults/NodeMaps';

/** SMD's sm.NodeMap JSON: NID a number; Role, SubRole and NodeInfo left out when empty. */
function nodeMapJson(row: NodeMapRow): Obj {
  const out: Obj = { ID: row.xname, NID: row.nid };
  if (row.role) out.Role = row.role;
  if (row.subRole) out.SubRole = row.subRole;
  if (row.nodeInfo !== null && row.nodeInfo !== undefined) out.NodeInfo = row.nodeInfo;
  return out;
}

function decodeMap(value: unknown): NodeMapInput {
  const obj = asObject(value, 'sm.NodeMap');
  return {
    xname: optString(obj, 'ID', 'sm.NodeMap') ?? '',
    nid: optInt(obj, 'NID', 'sm.NodeMap') ?? 0,
    role: optString(obj, 'Role', 'sm.NodeMap'),
    subRole: optString(obj, 'SubRole', 'sm.NodeMap'),
    nodeInfo: get(obj, 'NodeInfo'),
  };
}

/**
 * Runs a node-map write with SMD's wording: `validate(i, reason)` words a validation error of
 * entry i; a NID taken by another node is `conflict`.
 */
async function store(ctx: ServiceContext, maps: NodeMapInput[], validate: (index: number, reason: string) => string, conflict: string) {
  try {
    return await upsertNodeMaps(ctx, maps);
  } catch (error) {
    if (error instanceof SmdRuleError && error.code === 'BAD_USER_INPUT') {
      throw new SmdError(400, validate(Number(error.field?.split('.')[1] ?? 0), error.message));
    }
    if (error instanceof ConflictError || (error instanceof SmdRuleError && error.code === 'CONFLICT')) throw new SmdError(409, conflict);
    throw error;
  }
}

/** POST: `{"NodeMaps":[...]}`, or one node map as the body. */
async function postNodeMaps({ request, ctx }: RestRequest): Promise<Response> {
  const body = await readObject(request, 'main.scanableNodeMap');
  const single = ['ID', 'NID', 'Role', 'SubRole', 'NodeInfo'].some((name) => has(body, name));
  const maps = single ? [decodeMap(body)] : (optArray(body, 'NodeMaps', 'main.scanableNodeMap', '[]sm.NodeMap') ?? []).map(decodeMap);
  const validate = single
    ? (_i: number, reason: string) => `couldn't validate mapping data: ${reason}`
    : (i: number, reason: string) => `couldn't validate map data at idx ${i}: ${reason}`;
  await store(ctx.service, maps, validate, 'operation would conflict with an existing xname ID that has the same NID.');
  return message(`Created or modified ${maps.length} entries`);
}

async function putNodeMap({ request, params, ctx }: RestRequest): Promise<Response> {
  const xname = normalizeXname(params.xname ?? '');
  const map = decodeMap(await readObject(request, 'sm.NodeMap'));
  if (map.xname === '') map.xname = xname;
  else if (normalizeXname(map.xname) !== xname) throw new SmdError(400, 'xname in URL and PUT body do not match');
  const [row] = await store(
    ctx.service,
    [map],
    (_i, reason) => `couldn't validate endpoint data: ${reason}`,
    'operation would conflict with an existing resource that has the same NID',
  );
  return json(nodeMapJson(row));
}

export function mountNodeMapRoutes(router: RestRouter): void {
  router.get(BASE, async ({ ctx }) => json({ NodeMaps: (await listNodeMaps(ctx.service)).map(nodeMapJson) }));
  router.post(BASE, postNodeMaps);
  router.delete(BASE, async ({ ctx }) => {
    const count = await deleteAllNodeMaps(ctx.service);
    if (count === 0) throw new SmdError(404, 'no entries to delete');
    return message(`deleted ${count} entries`);
  });
  router.get(`${BASE}/:xname`, async ({ params, ctx }) => {
    const row = await getNodeMap(ctx.service, params.xname ?? '');
    if (!row) throw new SmdError(404, 'no such xname.');
    return json(nodeMapJson(row));
  });
  router.put(`${BASE}/:xname`, putNodeMap);
  router.delete(`${BASE}/:xname`, async ({ params, ctx }) => {
    if (!(await deleteNodeMap(ctx.service, params.xname ?? ''))) throw new SmdError(404, 'no such xname.');
    return message('deleted 1 entry');
  });
}
