// SMD's power maps (/sysinfo/powermaps, sm.PowerMap): which power supplies feed a component.
// PCS reads the collection as a bare array of {id, poweredBy}. Only /hsm/v2 speaks them (strict).
import { normalizeXname } from '../../domain/xname.js';
import type { PowerMapInput, PowerMapView } from '../../services/smd/index.js';
import { SMD_TEXTS, SmdDecodeError, SmdRuleError } from './errors.js';
import { asObject, optString, optStringList } from './go-json.js';

/** sm.PowerMap: poweredBy left out when empty. */
export const powerMapJson = (m: PowerMapView) => (m.poweredBy.length ? { id: m.xname, poweredBy: m.poweredBy } : { id: m.xname });

function decodePowerMap(value: unknown): PowerMapInput {
  const obj = asObject(value, 'sm.PowerMap');
  return { xname: optString(obj, 'id', 'sm.PowerMap') ?? '', poweredBy: optStringList(obj, 'poweredBy', 'sm.PowerMap') ?? [] };
}

/** POST: a bare array of power maps. */
export function decodePowerMapsPost(value: unknown): PowerMapInput[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw new SmdDecodeError('json: cannot unmarshal object into Go value of type []sm.PowerMap');
  return value.map(decodePowerMap);
}

/** PUT /sysinfo/powermaps/{xname}: the body's id, when it has one, must be the URL's. */
export function decodePowerMapPut(value: unknown, urlXname: string): PowerMapInput {
  const xname = normalizeXname(urlXname);
  const map = decodePowerMap(value);
  if (map.xname === '') map.xname = xname;
  else if (normalizeXname(map.xname) !== xname) throw new SmdRuleError(SMD_TEXTS.xnameMismatch);
  return map;
}

/** A power-map write's error in SMD's words (POST names the entry's index, PUT does not). */
export function powerMapWriteError(write: 'post' | 'put', error: unknown): unknown {
  if (!(error instanceof SmdRuleError)) return error;
  if (error.field?.endsWith('.poweredBy'))
    return new SmdRuleError(write === 'post' ? 'poweredby is required for PowerMaps' : 'poweredby is required in PUT body');
  return new SmdRuleError(
    write === 'post'
      ? `couldn't validate map data at idx ${error.field?.split('.')[1]}: ${error.message}`
      : `couldn't validate PowerMap data: ${error.message}`,
  );
}
