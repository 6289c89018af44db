// /sysinfo/powermaps: which power supplies feed a component. PCS reads the collection as a
// bare array of {id, poweredBy}.
import { normalizeXname } from '../../../domain/xname.js';
import {
  deleteAllPowerMaps,
  deletePowerMap,
  getPowerMap,
  listPowerMaps,
  type PowerMapInput,
  type PowerMapView,
  SmdRuleError,
  upsertPowerMaps,
} from '../../../services/smd/index.js';
import { BodyError, json, readJson } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import { asObject, message, optString, optStringList, readObject } from './wire.js';

const BASE = '/sysinfo/powermaps';

/** sm.PowerMap: poweredBy left out when empty. */
const powerMapJson = (m: PowerMapView) => (m.poweredBy.length ? { id: m.xname, poweredBy: m.poweredBy } : { id: m.xname });

function decodeMap(value: unknown): PowerMapInput {
  const obj = asObject(value, 'sm.PowerMap');
  return { xname: optString(obj, 'id', 'sm.PowerMap') ?? '', poweredBy: optStringList(obj, 'poweredBy', 'sm.PowerMap') ?? [] };
}

async function postPowerMaps({ request, ctx }: RestRequest): Promise<Response> {
  const body = await readJson(request);
  if (body !== null && !Array.isArray(body)) throw new BodyError('json: cannot unmarshal object into Go value of type []sm.PowerMap');
  const maps = (body ?? []).map(decodeMap);
  try {
    await upsertPowerMaps(ctx.service, maps);
  } catch (error) {
    if (error instanceof SmdRuleError && error.field?.endsWith('.poweredBy'))
      throw new SmdError(400, 'poweredby is required for PowerMaps');
    if (error instanceof SmdRuleError)
      throw new SmdError(400, `couldn't validate map data at idx ${error.field?.split('.')[1]}: ${error.message}`);
    throw error;
  }
  return message(`Created or modified ${maps.length} entries`);
}

async function putPowerMap({ request, params, ctx }: RestRequest): Promise<Response> {
  const xname = normalizeXname(params.xname ?? '');
  const map = decodeMap(await readObject(request, 'sm.PowerMap'));
  if (map.xname === '') map.xname = xname;
  else if (normalizeXname(map.xname) !== xname) throw new SmdError(400, 'xname in URL and PUT body do not match');
  try {
    const [stored] = await upsertPowerMaps(ctx.service, [map]);
    return json(powerMapJson(stored));
  } catch (error) {
    if (error instanceof SmdRuleError && error.field?.endsWith('.poweredBy')) throw new SmdError(400, 'poweredby is required in PUT body');
    if (error instanceof SmdRuleError) throw new SmdError(400, `couldn't validate PowerMap data: ${error.message}`);
    throw error;
  }
}

export function mountPowerMapRoutes(router: RestRouter): void {
  router.get(BASE, async ({ ctx }) => json((await listPowerMaps(ctx.service)).map(powerMapJson)));
  router.post(BASE, postPowerMaps);
  router.delete(BASE, async ({ ctx }) => {
    const count = await deleteAllPowerMaps(ctx.service);
    if (count === 0) throw new SmdError(404, 'no entries to delete');
    return message(`deleted ${count} entries`);
  });
  router.get(`${BASE}/:xname`, async ({ params, ctx }) => {
    const map = await getPowerMap(ctx.service, params.xname ?? '');
    if (!map) throw new SmdError(404, 'no such xname.');
    return json(powerMapJson(map));
  });
  router.put(`${BASE}/:xname`, putPowerMap);
  router.delete(`${BASE}/:xname`, async ({ params, ctx }) => {
    if (!(await deletePowerMap(ctx.service, params.xname ?? ''))) throw new SmdError(404, 'no such xname.');
    return message('deleted 1 entry');
  });
}
